package dev.backstop.core.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * What the names, URLs and paths of a cluster registration must look like before Backstop builds
 * requests and object keys from them. Each rule is a pure function: the problem, phrased to follow
 * the field's name ("must …"), or empty when the value is fine.
 *
 * <p>The rules are those of the systems that use the values, so that Backstop refuses exactly
 * what they would refuse later (or misread silently):
 *
 * <ul>
 *   <li>snapshot repository names: OpenSearch's and Elasticsearch's {@code
 *       RepositoriesService#validate}: not empty, none of {@code \ / * ? " < > | , #} and no space;
 *       Backstop also refuses any other whitespace or control character. Upper case and a leading
 *       {@code _} are allowed there, and so here;
 *   <li>index prefixes: the rules of index names ({@code MetadataCreateIndexService
 *       #validateIndexOrAliasName}): lower case, none of the characters above nor {@code :}, not
 *       starting with {@code _}, {@code -} or {@code +};
 *   <li>storage base paths: Zeebe's {@code S3BackupConfig} (not empty, not starting or ending with
 *       {@code /}), plus no empty, {@code .} or {@code ..} segment, no backslash, no whitespace;
 *   <li>management and search URLs: absolute {@code http} or {@code https} with a host, and no
 *       query or fragment, since Backstop appends the APIs' paths to them; no user info either
 *       (credentials go in the search engine's {@code auth}, where they are kept sealed);
 *   <li>CA certificates: PEM holding X.509 certificates only ({@link CaCertificates}).
 * </ul>
 */
public final class RegistrationRules {

  /** Characters OpenSearch refuses in file-like names ({@code Strings.INVALID_FILENAME_CHARS}) and {@code #}. */
  private static final String REFUSED_IN_NAMES = "\\/*?\"<>|,# ";

  private static final int MAX_NAME_LENGTH = 255;

  private RegistrationRules() {}

  /** A snapshot repository's name, as OpenSearch and Elasticsearch accept it. */
  public static Optional<String> snapshotRepository(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is required");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return Optional.of("must be at most " + MAX_NAME_LENGTH + " characters");
    }
    if (hasRefused(name, REFUSED_IN_NAMES) || hasWhitespaceOrControl(name)) {
      return Optional.of("must be a snapshot repository name: no whitespace and none of \\ / * ? \" < > | , #");
    }
    return Optional.empty();
  }

  /** The prefix of the exported records' indices (the records snapshot takes {@code <prefix>*}). */
  public static Optional<String> indexPrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return Optional.of("is required");
    }
    if (prefix.length() > MAX_NAME_LENGTH
        || !prefix.equals(prefix.toLowerCase(java.util.Locale.ROOT))
        || hasRefused(prefix, REFUSED_IN_NAMES + ":")
        || hasWhitespaceOrControl(prefix)
        || prefix.startsWith("_")
        || prefix.startsWith("-")
        || prefix.startsWith("+")) {
      return Optional.of(
          "must be the start of an index name: lower case, no whitespace, none of \\ / * ? \" < > | , # :, not starting with _ - +");
    }
    return Optional.empty();
  }

  /** A base path inside a bucket (a key prefix), such as {@code zeebe} or {@code team-a/zeebe}. */
  public static Optional<String> storagePath(String path) {
    if (path == null || path.isBlank()) {
      return Optional.of("is required");
    }
    boolean badSegment = false;
    for (String segment : path.split("/", -1)) {
      badSegment |= segment.isEmpty() || segment.equals(".") || segment.equals("..");
    }
    if (badSegment || path.contains("\\") || hasWhitespaceOrControl(path) || path.length() > 512) {
      return Optional.of(
          "must be a relative path such as zeebe or team-a/zeebe: not starting or ending with /, no empty, . or .. parts, no whitespace or backslash");
    }
    return Optional.empty();
  }

  /** A component's base URL: Backstop appends paths such as {@code /actuator/backups} to it. */
  public static Optional<String> baseUrl(String url) {
    if (url == null || url.isBlank()) {
      return Optional.of("is required");
    }
    String problem = "must be an absolute http(s) URL without query or fragment, such as http://zeebe:9600";
    try {
      URI uri = new URI(url);
      boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
      if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null || url.endsWith("?") || url.endsWith("#")) {
        return Optional.of(problem);
      }
      if (uri.getRawUserInfo() != null) {
        // never echo the URL: its user info may be a password
        return Optional.of("must not hold credentials (user info); give them as the search engine's auth");
      }
    } catch (URISyntaxException e) {
      return Optional.of(problem);
    }
    return Optional.empty();
  }

  /** CA certificates in PEM, as {@link CaCertificates#parse} reads them. */
  public static Optional<String> caCertificates(String pem) {
    try {
      CaCertificates.parse(pem);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Whether a URL (already checked with {@link #baseUrl}) is https. */
  public static boolean isHttps(String url) {
    return url != null && url.regionMatches(true, 0, "https:", 0, 6);
  }

  private static boolean hasRefused(String value, String refused) {
    return value.chars().anyMatch(c -> refused.indexOf(c) >= 0);
  }

  private static boolean hasWhitespaceOrControl(String value) {
    return value.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c));
  }
}
