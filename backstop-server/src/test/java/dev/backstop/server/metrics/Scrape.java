package dev.backstop.server.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus text exposition, as a scraper reads it: each sample by its series (name and labels,
 * labels sorted as the registry writes them).
 */
public final class Scrape {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Map<String, Double> samples = new LinkedHashMap<>();
  private final Set<String> names = new TreeSet<>();
  private final Set<String> families = new TreeSet<>();
  private final String text;

  public Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        families.add(line.split(" ")[2]);
      }
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (sample.find()) {
        names.add(sample.group(1));
        samples.put(sample.group(1) + canonical(sample.group(2)), Double.parseDouble(sample.group(3)));
      }
    }
  }

  /** Every metric name with a sample (histograms as {@code _bucket}, {@code _count}, {@code _sum}, counters with {@code _total}). */
  public Set<String> names() {
    return names;
  }

  /** Every metric family as {@code # TYPE} names it (a histogram without its suffixes). */
  public Set<String> families() {
    return families;
  }

  /**
   * The value of one series, e.g. {@code value("backstop_backups_total", "cluster", "c-1", "outcome",
   * "completed", "type", "MANUAL")}: the labels given must be all the series has.
   */
  public OptionalDouble value(String name, String... labels) {
    Map<String, String> wanted = new java.util.TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    Double value = samples.get(name + canonical(wanted));
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /** Like {@link #value}, 0 when the series is absent (a counter not yet created). */
  public double valueOrZero(String name, String... labels) {
    return value(name, labels).orElse(0);
  }

  /** Whether any series of that name has a label of that value. */
  public boolean hasSeries(String name, String label, String value) {
    return samples.keySet().stream().anyMatch(series -> series.startsWith(name + "{") && series.contains(label + "=\"" + value + "\""));
  }

  public String text() {
    return text;
  }

  private static String canonical(String labels) {
    Map<String, String> sorted = new java.util.TreeMap<>();
    if (labels != null) {
      Matcher label = LABEL.matcher(labels);
      while (label.find()) {
        sorted.put(label.group(1), label.group(2));
      }
    }
    return canonical(sorted);
  }

  private static String canonical(Map<String, String> sorted) {
    if (sorted.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("{");
    sorted.forEach((k, v) -> out.append(k).append("=\"").append(v).append("\","));
    return out.append("}").toString();
  }
}
