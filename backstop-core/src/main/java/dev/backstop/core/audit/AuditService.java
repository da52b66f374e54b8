package dev.backstop.core.audit;

import dev.backstop.core.organization.Permission;
import dev.backstop.core.usecase.Actor;
import dev.backstop.core.usecase.Result;
import dev.backstop.core.usecase.Validation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reading the audit trail: the operator reads all of it, an organization's client with {@link
 * Permission#AUDIT_READ} its own organization's entries only. Pages run newest first; a page's
 * cursor asks for the entries before it.
 */
public final class AuditService {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  /** A page of entries, newest first, and the cursor of the next (older) page, if there may be one. */
  public record Page(List<AuditEntry> items, Optional<String> nextCursor) {}

  private final AuditTrail trail;

  public AuditService(AuditTrail trail) {
    this.trail = trail;
  }

  /**
   * @param from ISO-8601 instant, inclusive, or null
   * @param to ISO-8601 instant, exclusive, or null
   * @param limit 1 to {@value #MAX_LIMIT}, or null for {@value #DEFAULT_LIMIT}
   * @param cursor the {@code nextCursor} of the previous page, or null for the newest
   */
  public Result<Page> list(Actor actor, String clusterId, String from, String to, Integer limit, String cursor) {
    Optional<Result<Page>> refused = actor.lacking(Permission.AUDIT_READ);
    if (refused.isPresent()) {
      return refused.get();
    }
    Validation v = new Validation();
    Instant fromAt = v.parse("from", blankToNull(from), AuditService::instant);
    Instant toAt = v.parse("to", blankToNull(to), AuditService::instant);
    if (fromAt != null && toAt != null && !fromAt.isBefore(toAt)) {
      v.add("to", "must be after from");
    }
    int pageSize = limit == null ? DEFAULT_LIMIT : limit;
    if (pageSize < 1 || pageSize > MAX_LIMIT) {
      v.add("limit", "must be between 1 and " + MAX_LIMIT);
    }
    Long before = v.parse("cursor", blankToNull(cursor), AuditService::sequenceOf);
    return v.orElse(
        () -> {
          // The operator's actor has no organization and sees every entry; anyone else, their own.
          Optional<java.util.UUID> organization = actor.isOperator() ? Optional.empty() : actor.organizationId();
          if (!actor.isOperator() && organization.isEmpty()) {
            return Result.ok(new Page(List.of(), Optional.empty()));
          }
          List<AuditEntry> items =
              trail.find(organization, Optional.ofNullable(blankToNull(clusterId)), Optional.ofNullable(fromAt), Optional.ofNullable(toAt), Optional.ofNullable(before), pageSize);
          Optional<String> next = items.size() < pageSize ? Optional.empty() : Optional.of(cursorOf(items.get(items.size() - 1).sequence()));
          return Result.ok(new Page(items, next));
        });
  }

  static String cursorOf(long sequence) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("before:" + sequence).getBytes(StandardCharsets.UTF_8));
  }

  private static Long sequenceOf(String cursor) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!decoded.startsWith("before:")) {
        throw new IllegalArgumentException("is not a cursor this API gave");
      }
      long sequence = Long.parseLong(decoded.substring("before:".length()));
      if (sequence < 1) {
        throw new IllegalArgumentException("is not a cursor this API gave");
      }
      return sequence;
    } catch (IllegalArgumentException e) { // also bad Base64 and NumberFormatException
      throw new IllegalArgumentException("is not a cursor this API gave");
    }
  }

  /** The instants the trail can hold: none before 1970 nor after 9999. */
  static final Instant EARLIEST = Instant.EPOCH;
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private static Instant instant(String text) {
    Instant parsed;
    try {
      parsed = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
    if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
      throw new IllegalArgumentException("must be between " + EARLIEST + " and " + LATEST);
    }
    return parsed;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
