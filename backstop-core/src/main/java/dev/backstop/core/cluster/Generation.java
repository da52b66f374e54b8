package dev.backstop.core.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Camunda cluster generation: the Camunda version its components run, e.g. {@code 8.6.0}.
 * Decides whether Backstop can back the cluster up, and which procedure applies.
 */
public record Generation(int major, int minor, int patch) implements Comparable<Generation> {

  /** The oldest generation whose components have the backup APIs the procedure needs. */
  public static final Generation MINIMUM_FOR_BACKUPS = new Generation(8, 2, 4);

  private static final Pattern VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,4})(?:[-+.][0-9A-Za-z.-]*)?");
  private static final Comparator<Generation> ORDER =
      Comparator.comparingInt(Generation::major).thenComparingInt(Generation::minor).thenComparingInt(Generation::patch);

  public Generation {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("version numbers are not negative");
    }
  }

  /**
   * Parses {@code MAJOR.MINOR.PATCH}, optionally followed by a qualifier ({@code 8.6.0-alpha1}).
   *
   * @throws IllegalArgumentException when the text is not such a version
   */
  public static Generation parse(String text) {
    Matcher matcher = VERSION.matcher(text == null ? "" : text.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not a Camunda version such as 8.6.0: " + text);
    }
    return new Generation(
        Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
  }

  /**
   * What the components report that differs from this, the registered generation: one line per
   * component, e.g. {@code "zeebe reports 8.5.8"}; empty when every reported version has this one's
   * major and minor numbers, which are what select the procedure. Patch releases pass: a patch
   * upgrade must not stop backups, and what a patch changes (the soft pause came to 8.2–8.4 in
   * patch releases) is read from the components as the procedure runs.
   *
   * @param reported component name to the version it reported (see {@link GenerationDetector})
   */
  public List<String> mismatchesWith(Map<String, String> reported) {
    List<String> mismatches = new ArrayList<>();
    reported.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(entry -> {
          Generation found;
          try {
            found = parse(entry.getValue());
          } catch (IllegalArgumentException unreadable) {
            found = null;
          }
          if (found == null || found.major() != major || found.minor() != minor) {
            mismatches.add(entry.getKey() + " reports " + entry.getValue());
          }
        });
    return mismatches;
  }

  /** The sentence refusing an operation on a cluster whose components run another generation. */
  public String mismatchReason(List<String> mismatches) {
    return "The cluster is registered as generation " + this + " but " + String.join(", ", mismatches)
        + ". Backstop runs each generation's own procedure, so it does not back up or restore a cluster whose"
        + " components run another one. After an upgrade, record the generation the components run now"
        + " (PUT /clusters/{id}/generation); its backups are kept.";
  }

  /** The newest minor version whose procedure Backstop has: 8.8 (any patch). */
  public static final Generation NEWEST_SUPPORTED = new Generation(8, 8, 0);

  public boolean supportsBackups() {
    return compareTo(MINIMUM_FOR_BACKUPS) >= 0;
  }

  /**
   * Whether this generation is newer than any Backstop knows ({@code 8.9} and later): its backup
   * APIs may have changed again (Camunda moved them in 8.8), so nothing is assumed about them.
   */
  public boolean newerThanSupported() {
    return major > NEWEST_SUPPORTED.major || (major == NEWEST_SUPPORTED.major && minor > NEWEST_SUPPORTED.minor);
  }

  /** Which order of steps backs this generation up (8.8 pauses exporting first). */
  public ProcedureFamily procedureFamily() {
    return major == 8 && minor < 8 ? ProcedureFamily.WEB_APPS_FIRST : ProcedureFamily.EXPORTING_PAUSED_FIRST;
  }

  /** The two orders of the documented backup procedure. */
  public enum ProcedureFamily {
    /** 8.2–8.7: web apps, soft pause, records snapshot, Zeebe, resume. */
    WEB_APPS_FIRST,
    /**
     * 8.8: soft pause, history backup (Operate and Tasklist as one) and Optimize's, records snapshot
     * (only where needed), runtime backup, resume.
     */
    EXPORTING_PAUSED_FIRST
  }

  @Override
  public int compareTo(Generation other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
