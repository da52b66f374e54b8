package dev.backstop.server.persistence;

import java.sql.SQLException;
import org.springframework.dao.DataIntegrityViolationException;

/** Reads which constraint a failed statement ran into. */
public final class SqlStates {

  /** PostgreSQL's {@code foreign_key_violation}. */
  static final String FOREIGN_KEY_VIOLATION = "23503";

  private SqlStates() {}

  /**
   * Whether the statement referred to a row that does not exist (any more), e.g. a cluster deleted
   * while a request about it was running.
   */
  public static boolean isForeignKeyViolation(DataIntegrityViolationException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && FOREIGN_KEY_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
