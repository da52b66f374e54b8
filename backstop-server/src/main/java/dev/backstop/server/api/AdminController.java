package dev.backstop.server.api;

import dev.backstop.core.organization.OrganizationService;
import dev.backstop.core.organization.Permission;
import dev.backstop.core.policy.PolicyService;
import dev.backstop.server.Regions;
import dev.backstop.server.security.Caller;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
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

  private final OrganizationService organizations;
  private final PolicyService policies;
  private final Regions regions;

  public AdminController(OrganizationService organizations, PolicyService policies, Regions regions) {
    this.organizations = organizations;
    this.policies = policies;
    this.regions = regions;
  }

  /** {@code GET /admin/regions}: the configured regions, without their keys; the operator only. */
  @GetMapping("/admin/regions")
  public List<Regions.RegionView> regions() {
    Caller.current().require(Permission.ADMIN);
    return regions.views();
  }

  @PostMapping("/admin/organizations")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<OrganizationView> createOrganization(@RequestBody OrganizationRequest request) {
    OrganizationView created =
        OrganizationView.of(ApiProblem.orThrow(organizations.create(Caller.current().actor(), request.name(), request.plan())));
    return ResponseEntity.created(URI.create("/admin/organizations/" + created.id())).body(created);
  }

  @GetMapping("/admin/organizations")
  public List<OrganizationView> organizations() {
    return ApiProblem.orThrow(organizations.list(Caller.current().actor())).stream().map(OrganizationView::of).toList();
  }

  /** Creates an API client; its secret is in this answer and nowhere else, ever. */
  @PostMapping("/admin/organizations/{orgId}/clients")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<NewApiClientView> createClient(@PathVariable UUID orgId, @RequestBody ClientRequest request) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(NewApiClientView.of(ApiProblem.orThrow(organizations.createClient(Caller.current().actor(), orgId, request.name(), request.permissions()))));
  }

  @DeleteMapping("/admin/organizations/{orgId}/clients/{clientId}")
  public ResponseEntity<Void> deleteClient(@PathVariable UUID orgId, @PathVariable String clientId) {
    ApiProblem.orThrow(organizations.deleteClient(Caller.current().actor(), orgId, clientId));
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/admin/clusters/{clusterId}/backup-policy")
  public PolicyView policy(@PathVariable String clusterId) {
    return PolicyView.of(ApiProblem.orThrow(policies.get(Caller.current().actor(), clusterId)));
  }

  @PutMapping("/admin/clusters/{clusterId}/backup-policy")
  public PolicyView setPolicy(@PathVariable String clusterId, @RequestBody PolicyRequest request) {
    return PolicyView.of(
        ApiProblem.orThrow(
            policies.set(Caller.current().actor(), clusterId, request.manualRateLimit(), request.manualRetention(), request.scheduledRetention())));
  }
}
