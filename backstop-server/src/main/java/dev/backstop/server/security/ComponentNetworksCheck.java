package dev.backstop.server.security;

import dev.backstop.core.usecase.FieldError;
import dev.backstop.server.persistence.JdbcClusters;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start, names every registered cluster whose component URLs point where {@value
 * ComponentNetworks#SETTING} does not allow (e.g. clusters registered before the setting existed,
 * in a private network): their backups and restores fail until the operator lists the network, and
 * the operator should learn that now, not from the next failed backup.
 */
@Component
public class ComponentNetworksCheck {

  private static final Logger LOG = LoggerFactory.getLogger(ComponentNetworksCheck.class);

  private final JdbcClusters clusters;
  private final NetworkGuard guard;

  public ComponentNetworksCheck(JdbcClusters clusters, @Qualifier("componentNetworkGuard") NetworkGuard guard) {
    this.clusters = clusters;
    this.guard = guard;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void warnOfClustersOutsideTheAllowedNetworks() {
    try {
      for (JdbcClusters.StoredCluster stored : clusters.list(Optional.empty())) {
        List<FieldError> refused = ComponentNetworks.refusals(guard, stored.cluster().components());
        if (!refused.isEmpty()) {
          LOG.warn(
              "Cluster {} ({}) cannot be backed up or restored: {}. List its network in {}.",
              stored.cluster().id(), stored.cluster().name(),
              String.join("; ", refused.stream().map(e -> e.field() + " " + e.message()).toList()), ComponentNetworks.SETTING);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not check the registered clusters' component URLs: {}", e.toString());
    }
  }
}
