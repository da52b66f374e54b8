package dev.backstop.core.testing;

import dev.backstop.core.organization.Permission;
import dev.backstop.core.usecase.Actor;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;

/** The callers tests act as. */
public final class Actors {

  private Actors() {}

  public static Actor operator() {
    return new Actor("operator", Optional.empty(), EnumSet.of(Permission.ADMIN));
  }

  public static Actor member(UUID organizationId, Permission... permissions) {
    return new Actor("member", Optional.of(organizationId), permissions.length == 0 ? EnumSet.noneOf(Permission.class) : EnumSet.of(permissions[0], permissions));
  }
}
