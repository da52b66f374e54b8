package dev.backstop.server.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How restores reach the clusters' runtimes ({@code backstop.runtime.*}).
 *
 * @param localDirectory the directory whose descriptor files a cluster may name for the
 *     LOCAL_PROCESS runtime; unset, no cluster may use it. A descriptor says which commands
 *     Backstop runs, so only the operator puts files there.
 * @param startTimeout how long a started component may take to answer its readiness probe
 * @param restoreToolTimeout how long Zeebe's restore tool may run per broker
 */
@ConfigurationProperties("backstop.runtime")
public record RuntimeSettings(
    Path localDirectory, @DefaultValue("PT5M") Duration startTimeout, @DefaultValue("PT15M") Duration restoreToolTimeout) {

  /** The local directory, if set. */
  public Optional<Path> localDirectoryIfSet() {
    return Optional.ofNullable(localDirectory);
  }

  /** Whether {@code descriptor} lies inside the local directory. */
  public boolean allows(Path descriptor) {
    return localDirectoryIfSet()
        .map(dir -> descriptor.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize()))
        .orElse(false);
  }
}
