package dev.backstop.server.event;

import dev.backstop.core.event.Event;
import java.util.Optional;
import java.util.UUID;

/**
 * Told of each event once, when it is first recorded in the audit trail, inside the transaction
 * that records it (a listener's own database writes commit with the entry, or neither does). A
 * Spring bean implementing it is found by {@link EventHub}. Must be quick and must not call out
 * over the network: queue such work (e.g. webhook deliveries) and do it afterwards.
 */
public interface RecordedEventListener {

  /**
   * @param organizationId the organization of the event's cluster, when the cluster still exists
   */
  void recorded(Event event, Optional<UUID> organizationId);
}
