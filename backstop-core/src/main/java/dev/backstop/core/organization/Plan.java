package dev.backstop.core.organization;

/** An organization's plan. Backups are an enterprise feature. */
public enum Plan {
  FREE,
  STARTER,
  PROFESSIONAL,
  ENTERPRISE;

  public boolean includesBackups() {
    return this == ENTERPRISE;
  }
}
