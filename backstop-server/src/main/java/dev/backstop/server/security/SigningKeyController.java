package dev.backstop.server.security;

import dev.backstop.core.organization.Permission;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/signing-keys}: the operator lists the token signing keys (ids and ages, never the
 * keys) and rotates them: a new key signs from then on, tokens signed before stay valid until
 * they expire; a replaced key can be removed at once (a leaked key).
 */
@RestController
public class SigningKeyController {

  /** A key as the API shows it: its id, when it was made, whether it signs new tokens. */
  public record KeyView(String kid, Instant createdAt, boolean signing) {}

  private final SigningKeys keys;

  public SigningKeyController(SigningKeys keys) {
    this.keys = keys;
  }

  @GetMapping("/admin/signing-keys")
  public List<KeyView> list() {
    Caller.current().require(Permission.ADMIN);
    List<SigningKeys.SigningKey> all = keys.all();
    return all.stream().map(k -> new KeyView(k.kid(), k.createdAt(), k == all.get(0))).toList();
  }

  /** Removes a replaced key at once: tokens it signed are refused (a leaked key). Not the signing one: rotate first. */
  @DeleteMapping("/admin/signing-keys/{kid}")
  public ResponseEntity<Void> remove(@PathVariable String kid) {
    Caller.current().require(Permission.ADMIN);
    return switch (keys.remove(kid).map(removed -> removed ? 1 : 0).orElse(-1)) {
      case 1 -> ResponseEntity.noContent().build();
      case 0 -> throw dev.backstop.server.api.ApiProblem.notFound("No signing key " + kid + ".");
      default -> throw dev.backstop.server.api.ApiProblem.conflict("Key " + kid + " signs new tokens; rotate first (POST /admin/signing-keys), then remove it.");
    };
  }

  @PostMapping("/admin/signing-keys")
  public ResponseEntity<KeyView> rotate() {
    Caller.current().require(Permission.ADMIN);
    SigningKeys.SigningKey added = keys.rotate();
    return ResponseEntity.created(URI.create("/admin/signing-keys/" + added.kid())).body(new KeyView(added.kid(), added.createdAt(), true));
  }
}
