package dev.backstop.core.backup;

/** The parts of a cluster backup, one per component backup API (and the exported records). */
public enum Component {
  ZEEBE,
  OPERATE,
  TASKLIST,
  OPTIMIZE,
  /** The snapshot of the Zeebe records exported to the search engine. */
  ZEEBE_RECORDS;

  public boolean isWebApp() {
    return this == OPERATE || this == TASKLIST || this == OPTIMIZE;
  }
}
