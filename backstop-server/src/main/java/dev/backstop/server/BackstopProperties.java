package dev.backstop.server;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Backstop's own settings ({@code backstop.*}).
 *
 * @param dataDir where Backstop keeps its state: the embedded database, and the sandbox's data when
 *     it runs ({@code BACKSTOP_DATA_DIR}, default {@code ./backstop-data})
 */
@ConfigurationProperties("backstop")
public record BackstopProperties(@DefaultValue("./backstop-data") Path dataDir) {}
