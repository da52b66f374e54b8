package dev.backstop.server.persistence;

import dev.backstop.core.operation.Ticket;
import dev.backstop.server.operation.OperationEngine;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The claim of an operation's row (a backup's, a restore's): its {@code fence} is raised only while
 * the ticket is the engine's current run of the operation, i.e. db-scheduler's execution still has
 * the ticket's version. A run that was taken over (its execution revived and picked again, which
 * raises the version) cannot claim, and the writes of every earlier claim are fenced out.
 */
final class FencedClaim {

  private FencedClaim() {}

  /**
   * @param table the operation's table
   * @param row the condition that picks the row, with named parameters
   * @param rowParameters the values of those parameters
   * @return the new fence, or empty when the ticket is stale or the row is gone
   */
  static Optional<Long> claim(JdbcClient jdbc, String table, String row, Map<String, ?> rowParameters, Ticket ticket) {
    return jdbc.sql(
            "update " + table + " set fence = fence + 1 where " + row + " and exists ("
                + " select 1 from scheduled_tasks where task_name = :task and task_instance = :operation and version = :version)"
                + " returning fence")
        .params(rowParameters)
        .param("task", OperationEngine.BACKUP_OPERATION)
        .param("operation", ticket.operation())
        .param("version", ticket.version())
        .query(Long.class)
        .optional();
  }
}
