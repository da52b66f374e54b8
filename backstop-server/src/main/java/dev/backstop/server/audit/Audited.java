package dev.backstop.server.audit;

import java.util.UUID;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * What a controller tells the audit trail about the request it answers, beyond its path: the
 * backup or restore it created, the organization of a cluster it registered, why it refused.
 * Kept as request attributes for {@link AuditInterceptor}.
 */
public final class Audited {

  static final String BACKUP = Audited.class.getName() + ".backup";
  static final String RESTORE = Audited.class.getName() + ".restore";
  static final String CLUSTER = Audited.class.getName() + ".cluster";
  static final String ORGANIZATION = Audited.class.getName() + ".organization";
  static final String DETAIL = Audited.class.getName() + ".detail";

  private Audited() {}

  public static void backup(long backupId) {
    set(BACKUP, backupId);
  }

  public static void restore(String restoreId) {
    set(RESTORE, restoreId);
  }

  /** A cluster the request created, and its organization. */
  public static void cluster(String clusterId, UUID organizationId) {
    set(CLUSTER, clusterId);
    set(ORGANIZATION, organizationId);
  }

  /** Why the request was refused (the problem's detail). */
  public static void detail(String detail) {
    set(DETAIL, detail);
  }

  private static void set(String name, Object value) {
    RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
    if (attributes != null && value != null) {
      attributes.setAttribute(name, value, RequestAttributes.SCOPE_REQUEST);
    }
  }
}
