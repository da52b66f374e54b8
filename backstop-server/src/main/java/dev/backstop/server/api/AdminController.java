package dev.backstop.server.api;

import dev.backstop.core.organization.Organization;
import dev.backstop.core.organization.Permission;
import dev.backstop.core.organization.Plan;
import dev.backstop.core.policy.BackupPolicy;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.persistence.JdbcOrganizations;
import dev.backstop.server.security.Caller;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /admin/**}: the operator's API: organizations, their API clients, backup policies. */
@RestController
public class AdminController {

  /** {@code POST /admin/organizations}. */
  public record OrganizationRequest(String name, String plan) {}

  /** {@code POST /admin/organizations/{orgId}/clients}. */
  public record ClientRequest(String name, List<String> permissions) {}

  /** {@code PUT /admin/clusters/{clusterId}/backup-policy}. */
  public record PolicyRequest(String manualRateLimit, Integer manualRetention, Integer scheduledRetention) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcOrganizations organizations;
  private final JdbcClusters clusters;
  private final PasswordEncoder encoder;
  private final Clock clock;

  public AdminController(JdbcOrganizations organizations, JdbcClusters clusters, PasswordEncoder encoder, Clock clock) {
    this.organizations = organizations;
    this.clusters = clusters;
    this.encoder = encoder;
    this.clock = clock;
  }

  @PostMapping("/admin/organizations")
  public ResponseEntity<Organization> createOrganization(@RequestBody OrganizationRequest request) {
    Caller.current().require(Permission.ADMIN);
    Validation v = new Validation();
    v.required("name", request.name());
    Plan plan = null;
    if (v.required("plan", request.plan())) {
      plan = v.parse("plan", request.plan(), text -> parseEnum(Plan.class, text));
    }
    v.throwIfInvalid();
    Organization organization = new Organization(UUID.randomUUID(), request.name(), plan, clock.instant());
    if (!organizations.insert(organization)) {
      throw ApiProblem.conflict(
          "An organization named '" + request.name() + "' exists.",
          List.of(new ApiProblem.FieldError("name", "an organization of this name exists")));
    }
    return ResponseEntity.created(URI.create("/admin/organizations/" + organization.id())).body(organization);
  }

  @GetMapping("/admin/organizations")
  public List<Organization> organizations() {
    Caller.current().require(Permission.ADMIN);
    return organizations.list();
  }

  /** Creates an API client; its secret is in this answer and nowhere else, ever. */
  @PostMapping("/admin/organizations/{orgId}/clients")
  public ResponseEntity<Map<String, Object>> createClient(@PathVariable UUID orgId, @RequestBody ClientRequest request) {
    Caller.current().require(Permission.ADMIN);
    if (organizations.find(orgId).isEmpty()) {
      throw ApiProblem.notFound("No organization " + orgId + ".");
    }
    Validation v = new Validation();
    v.required("name", request.name());
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    if (v.required("permissions", request.permissions())) {
      for (int i = 0; i < request.permissions().size(); i++) {
        String scope = request.permissions().get(i);
        Permission permission = scope == null ? null : Permission.fromScope(scope).orElse(null);
        if (permission == null || permission == Permission.ADMIN) {
          v.add("permissions[" + i + "]", "must be one of backups:read, backups:write, backups:restore, clusters:read, clusters:write");
        } else {
          permissions.add(permission);
        }
      }
    }
    v.throwIfInvalid();
    String clientId = "bks-" + token(12);
    String secret = token(32);
    organizations.insertClient(
        new JdbcOrganizations.StoredClient(clientId, request.name(), encoder.encode(secret), java.util.Optional.of(orgId), permissions), clock.instant());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("clientId", clientId);
    body.put("clientSecret", secret);
    body.put("name", request.name());
    body.put("organizationId", orgId);
    body.put("permissions", permissions.stream().map(Permission::scope).toList());
    return ResponseEntity.status(201).body(body);
  }

  @DeleteMapping("/admin/organizations/{orgId}/clients/{clientId}")
  public ResponseEntity<Void> deleteClient(@PathVariable UUID orgId, @PathVariable String clientId) {
    Caller.current().require(Permission.ADMIN);
    if (!organizations.deleteClient(orgId, clientId)) {
      throw ApiProblem.notFound("No client " + clientId + " in organization " + orgId + ".");
    }
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/admin/clusters/{clusterId}/backup-policy")
  public Map<String, Object> policy(@PathVariable String clusterId) {
    Caller caller = Caller.current();
    caller.require(Permission.ADMIN);
    ClusterController.visibleCluster(clusters, caller, clusterId);
    return view(clusters.policyOf(clusterId));
  }

  @PutMapping("/admin/clusters/{clusterId}/backup-policy")
  public Map<String, Object> setPolicy(@PathVariable String clusterId, @RequestBody PolicyRequest request) {
    Caller caller = Caller.current();
    caller.require(Permission.ADMIN);
    ClusterController.visibleCluster(clusters, caller, clusterId);
    Validation v = new Validation();
    Duration rateLimit = null;
    if (request.manualRateLimit() != null) {
      rateLimit = v.parse("manualRateLimit", request.manualRateLimit(), AdminController::duration);
    }
    List<String> errors = BackupPolicy.errors(rateLimit == null && !v.hasErrors() ? null : rateLimit, request.manualRetention(), request.scheduledRetention());
    for (String error : errors) {
      String field = error.substring(0, error.indexOf(':'));
      if (!(field.equals("manualRateLimit") && v.hasErrors())) {
        v.add(field, error.substring(error.indexOf(':') + 2));
      }
    }
    v.throwIfInvalid();
    BackupPolicy policy = new BackupPolicy(rateLimit, request.manualRetention(), request.scheduledRetention());
    if (!clusters.savePolicy(clusterId, policy)) {
      throw ApiProblem.notFound("No cluster " + clusterId + ".");
    }
    return view(policy);
  }

  private static Map<String, Object> view(BackupPolicy policy) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("manualRateLimit", policy.manualRateLimit().toString());
    body.put("manualRetention", policy.manualRetention());
    body.put("scheduledRetention", policy.scheduledRetention());
    return body;
  }

  private static Duration duration(String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("must be an ISO-8601 duration such as PT5H (PT0S: no limit)");
    }
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be one of " + Arrays.toString(type.getEnumConstants()));
    }
  }

  private static String token(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}
