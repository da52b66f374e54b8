package dev.backstop.server.event;

import dev.backstop.core.audit.AuditEntry;
import dev.backstop.core.audit.AuditTrail;
import dev.backstop.core.backup.BackupId;
import dev.backstop.core.event.Event;
import dev.backstop.core.event.EventSink;
import dev.backstop.server.persistence.JdbcClusters;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where the use cases' events go: each is appended to the audit trail as the {@code system}'s
 * action, once per {@linkplain Event#key key}, and the {@link RecordedEventListener}s (metrics,
 * notifications) are told of it in the same transaction — so an event told twice after a crash
 * is counted and notified once. A listener that fails loses only its own writes (a savepoint),
 * never the audit entry. Never throws into the operation that told it.
 */
@Component
public class EventHub implements EventSink {

  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

  private final AuditTrail audit;
  private final JdbcClusters clusters;
  private final TransactionTemplate transactions;
  private final ObjectProvider<RecordedEventListener> listeners;
  /** Each listener within a savepoint: one that fails undoes its own writes, never the audit entry. */
  private final TransactionTemplate eachListener;

  public EventHub(AuditTrail audit, JdbcClusters clusters, TransactionTemplate transactions, ObjectProvider<RecordedEventListener> listeners) {
    this.audit = audit;
    this.clusters = clusters;
    this.transactions = transactions;
    this.listeners = listeners;
    this.eachListener = new TransactionTemplate(java.util.Objects.requireNonNull(transactions.getTransactionManager()));
    this.eachListener.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
  }

  @Override
  public void publish(Event event) {
    try {
      Optional<UUID> organization = event instanceof Event.ClusterRemoved removed
          ? Optional.of(removed.organizationId()) // the cluster is gone: its organization comes with the event
          : clusters.findStored(event.clusterId()).map(stored -> stored.cluster().organizationId());
      transactions.executeWithoutResult(
          status -> {
            Optional<AuditEntry> appended = audit.appendOnce(event.key(), entryOf(event, organization));
            if (appended.isPresent()) {
              List<RecordedEventListener> told = listeners.orderedStream().toList();
              for (RecordedEventListener listener : told) {
                try {
                  eachListener.executeWithoutResult(nested -> listener.recorded(event, organization));
                } catch (RuntimeException e) {
                  LOG.warn("{} could not take {}: {}", listener.getClass().getSimpleName(), event.key(), e.toString());
                }
              }
            }
          });
    } catch (RuntimeException e) {
      LOG.warn("Could not record {}: {}", event.key(), e.toString());
    }
  }

  static AuditEntry entryOf(Event event, Optional<UUID> organization) {
    return new AuditEntry(
        0,
        event.at(),
        AuditEntry.SYSTEM,
        organization,
        event.action(),
        Optional.of(event.clusterId()),
        event.backupId().map(BackupId::value),
        event.restoreId(),
        outcomeOf(event),
        event.detail());
  }

  private static AuditEntry.Outcome outcomeOf(Event event) {
    if (event instanceof Event.ScheduledRunSkipped) {
      return AuditEntry.Outcome.REJECTED; // nothing was done
    }
    return event.succeeded() ? AuditEntry.Outcome.SUCCEEDED : AuditEntry.Outcome.FAILED;
  }
}
