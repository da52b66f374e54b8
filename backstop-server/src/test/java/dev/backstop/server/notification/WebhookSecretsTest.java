package dev.backstop.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {

  private static final String SECRET = "whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";

  private final WebhookSecrets secrets = new WebhookSecrets(new byte[32]);
  private final UUID webhook = UUID.randomUUID();

  @Test
  void shouldOpenWhatItSealedForTheSameWebhook() {
    byte[] sealed = secrets.seal(webhook, SECRET);

    assertThat(secrets.open(webhook, sealed)).isEqualTo(SECRET);
  }

  @Test
  void shouldNeverStoreTheSecretInTheClearNorTheSameWayTwice() {
    byte[] sealed = secrets.seal(webhook, SECRET);

    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET).doesNotContain("whsec_");
    assertThat(secrets.seal(webhook, SECRET)).isNotEqualTo(sealed);
  }

  @Test
  void shouldNotOpenForAnotherWebhookWithAnotherKeyOrAltered() {
    byte[] sealed = secrets.seal(webhook, SECRET);
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    byte[] altered = sealed.clone();
    altered[altered.length - 1] ^= 1;

    assertThatThrownBy(() -> secrets.open(UUID.randomUUID(), sealed)).isInstanceOf(IllegalStateException.class).hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> new WebhookSecrets(otherKey).open(webhook, sealed)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> secrets.open(webhook, altered)).isInstanceOf(IllegalStateException.class);
  }
}
