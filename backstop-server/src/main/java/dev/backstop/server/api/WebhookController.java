package dev.backstop.server.api;

import dev.backstop.core.notification.WebhookService;
import dev.backstop.server.security.Caller;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /organizations/{orgId}/webhooks}: an organization's webhooks and their deliveries.
 * {@code webhooks:read} for GET, {@code webhooks:write} for POST and DELETE; another organization's
 * answer 404.
 */
@RestController
public class WebhookController {

  /**
   * The body of a POST.
   *
   * @param url an absolute http(s) URL the operator's networks allow
   * @param events among {@code backup.failed}, {@code backup.damaged}, {@code schedule.run-skipped},
   *     {@code replication.failed}, {@code restore.completed}, {@code restore.failed}, {@code
   *     backup.overdue}
   * @param noCompletedBackupHours with {@code backup.overdue} (at least 1), else absent
   */
  public record WebhookRequest(String url, List<String> events, Integer noCompletedBackupHours) {}

  private final WebhookService webhooks;

  public WebhookController(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  @GetMapping("/organizations/{orgId}/webhooks")
  public List<WebhookView> list(@PathVariable UUID orgId) {
    return ApiProblem.orThrow(webhooks.list(Caller.current().actor(), orgId)).stream().map(WebhookView::of).toList();
  }

  /** Creates a webhook; its secret is in this answer and nowhere else, ever. */
  @PostMapping("/organizations/{orgId}/webhooks")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<NewWebhookView> create(@PathVariable UUID orgId, @RequestBody WebhookRequest request) {
    WebhookService.Input input = new WebhookService.Input(request.url(), request.events(), request.noCompletedBackupHours());
    NewWebhookView created = NewWebhookView.of(ApiProblem.orThrow(webhooks.create(Caller.current().actor(), orgId, input)));
    return ResponseEntity.created(URI.create("/organizations/" + orgId + "/webhooks/" + created.id())).body(created);
  }

  @GetMapping("/organizations/{orgId}/webhooks/{webhookId}")
  public WebhookView get(@PathVariable UUID orgId, @PathVariable UUID webhookId) {
    return WebhookView.of(ApiProblem.orThrow(webhooks.get(Caller.current().actor(), orgId, webhookId)));
  }

  /** Deletes the webhook: nothing more is sent to it, not even a retry. */
  @DeleteMapping("/organizations/{orgId}/webhooks/{webhookId}")
  public ResponseEntity<Void> delete(@PathVariable UUID orgId, @PathVariable UUID webhookId) {
    ApiProblem.orThrow(webhooks.delete(Caller.current().actor(), orgId, webhookId));
    return ResponseEntity.noContent().build();
  }

  /** The latest deliveries, newest first, each with its state and last attempt. */
  @GetMapping("/organizations/{orgId}/webhooks/{webhookId}/deliveries")
  public List<DeliveryView> deliveries(@PathVariable UUID orgId, @PathVariable UUID webhookId) {
    return ApiProblem.orThrow(webhooks.deliveries(Caller.current().actor(), orgId, webhookId)).stream().map(DeliveryView::of).toList();
  }
}
