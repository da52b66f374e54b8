package dev.backstop.server.api;

import dev.backstop.core.audit.AuditEntry;
import dev.backstop.core.audit.AuditService;
import dev.backstop.server.security.Caller;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /audit}: the audit trail, newest first, a page at a time. */
@RestController
public class AuditController {

  /** One entry as the API shows it. */
  public record EntryView(
      long sequence, Instant at, String actor, String action, String clusterId, Long backupId, String restoreId, String outcome, String detail) {
    static EntryView of(AuditEntry entry) {
      return new EntryView(
          entry.sequence(), entry.at(), entry.actor(), entry.action(), entry.clusterId().orElse(null), entry.backupId().orElse(null),
          entry.restoreId().orElse(null), entry.outcome().name(), entry.detail());
    }
  }

  /** A page and the cursor of the next (older) one, null when there is none. */
  public record PageView(List<EntryView> items, String nextCursor) {}

  private final AuditService audit;

  public AuditController(AuditService audit) {
    this.audit = audit;
  }

  @GetMapping("/audit")
  public PageView list(
      @RequestParam(required = false) String clusterId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String cursor) {
    AuditService.Page page = ApiProblem.orThrow(audit.list(Caller.current().actor(), clusterId, from, to, limit, cursor));
    return new PageView(page.items().stream().map(EntryView::of).toList(), page.nextCursor().orElse(null));
  }
}
