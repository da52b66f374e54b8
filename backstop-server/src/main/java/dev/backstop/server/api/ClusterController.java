package dev.backstop.server.api;

import dev.backstop.core.cluster.BackupLocation;
import dev.backstop.core.cluster.Cluster;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.cluster.Generation;
import dev.backstop.core.cluster.RegistrationRules;
import dev.backstop.core.cluster.SearchAuth;
import dev.backstop.core.organization.Permission;
import dev.backstop.core.usecase.FieldError;
import dev.backstop.core.usecase.Validation;
import dev.backstop.server.Regions;
import dev.backstop.server.backup.ClusterRegistry;
import dev.backstop.server.persistence.JdbcClusters;
import dev.backstop.server.persistence.JdbcClusters.StoredCluster;
import dev.backstop.server.persistence.JdbcOrganizations;
import dev.backstop.server.audit.Audited;
import dev.backstop.server.security.Caller;
import dev.backstop.server.security.ComponentNetworks;
import dev.backstop.server.security.NetworkGuard;
import org.springframework.beans.factory.annotation.Qualifier;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import java.nio.file.Path;
import dev.backstop.server.restore.RuntimeSettings;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /clusters}: register, list, get and delete clusters. */
@RestController
public class ClusterController {

  private final JdbcClusters clusters;
  private final JdbcOrganizations organizations;
  private final ClusterRegistry registry;
  private final Regions regions;
  private final Clock clock;
  private final RuntimeSettings runtimeSettings;

  private final NetworkGuard componentNetworks;

  public ClusterController(
      JdbcClusters clusters, JdbcOrganizations organizations, ClusterRegistry registry, Regions regions, Clock clock, RuntimeSettings runtimeSettings,
      @Qualifier("componentNetworkGuard") NetworkGuard componentNetworks) {
    this.runtimeSettings = runtimeSettings;
    this.componentNetworks = componentNetworks;
    this.clusters = clusters;
    this.organizations = organizations;
    this.registry = registry;
    this.regions = regions;
    this.clock = clock;
  }

  @PostMapping("/clusters")
  public ResponseEntity<ClusterView> register(@RequestBody ClusterRequest request) {
    Caller caller = Caller.current();
    caller.require(Permission.CLUSTERS_WRITE);
    Cluster cluster = validate(request, caller);
    Audited.cluster(cluster.id(), cluster.organizationId());
    if (clusters.nameTaken(cluster.organizationId(), cluster.name())) {
      throw nameTaken(cluster);
    }
    return switch (registry.register(cluster)) {
      case ClusterRegistry.Registered registered ->
          ResponseEntity.created(URI.create("/clusters/" + cluster.id())).body(ClusterView.of(cluster, registered.preflight(), false));
      case ClusterRegistry.NameTaken taken -> throw nameTaken(cluster);
    };
  }

  private static ApiProblem nameTaken(Cluster cluster) {
    return ApiProblem.conflict(
        "The organization has a cluster named '" + cluster.name() + "'.",
        List.of(new FieldError("name", "a cluster of this name exists in the organization")));
  }

  @GetMapping("/clusters")
  public List<ClusterView> list() {
    Caller caller = Caller.current();
    caller.require(Permission.CLUSTERS_READ);
    Optional<UUID> scope = caller.isOperator() ? Optional.empty() : caller.organizationId();
    return clusters.list(scope).stream().map(ClusterController::view).toList();
  }

  @GetMapping("/clusters/{clusterId}")
  public ClusterView get(@PathVariable String clusterId) {
    Caller caller = Caller.current();
    caller.require(Permission.CLUSTERS_READ);
    return view(VisibleClusters.find(clusters, caller, clusterId));
  }

  /** The generation a cluster's components now run, e.g. after an upgrade. */
  public record GenerationRequest(String generation) {}

  /**
   * Records the generation the cluster's components run now (after an upgrade from 8.6 to 8.7,
   * say), keeping its backups; answered with the cluster and a new preflight. 409 while a backup
   * or restore runs.
   */
  @PutMapping("/clusters/{clusterId}/generation")
  public ClusterView changeGeneration(@PathVariable String clusterId, @RequestBody(required = false) GenerationRequest request) {
    Caller caller = Caller.current();
    caller.require(Permission.CLUSTERS_WRITE);
    StoredCluster stored = VisibleClusters.find(clusters, caller, clusterId);
    Audited.cluster(clusterId, stored.cluster().organizationId());
    Validation v = new Validation();
    Generation generation = null;
    if (v.required("generation", request == null ? null : request.generation())) {
      generation = v.parse("generation", request.generation(), Generation::parse);
    }
    if (v.hasErrors()) {
      throw ApiProblem.validation(v.errors());
    }
    return switch (registry.changeGeneration(clusterId, generation)) {
      case ClusterRegistry.GenerationChanged changed -> view(clusters.findStored(clusterId).orElse(stored));
      case ClusterRegistry.GenerationBusy busy -> throw ApiProblem.conflict(busy.reason());
      case ClusterRegistry.GenerationClusterGone gone -> throw ApiProblem.notFound("No cluster " + clusterId + ".");
    };
  }

  @DeleteMapping("/clusters/{clusterId}")
  public ResponseEntity<ClusterView> delete(@PathVariable String clusterId, @RequestParam(required = false) String confirm) {
    Caller caller = Caller.current();
    caller.require(Permission.CLUSTERS_WRITE);
    StoredCluster stored = VisibleClusters.find(clusters, caller, clusterId);
    if (confirm == null || !confirm.equals(stored.cluster().name())) {
      throw ApiProblem.validation(
          List.of(new FieldError("confirm", "must be the cluster's name, '" + stored.cluster().name() + "': deleting a cluster deletes all its backups")));
    }
    return switch (registry.delete(clusterId)) {
      case ClusterRegistry.BackupRunning running ->
          throw ApiProblem.conflict("Backup " + running.backup().id() + " of this cluster is in progress; delete the cluster when it has ended.");
      case ClusterRegistry.RestoreRunning restoring ->
          throw ApiProblem.conflict("Restore " + restoring.restore().id() + " of this cluster is " + restoring.restore().state() + "; delete the cluster when it has ended.");
      case ClusterRegistry.ClusterGone gone -> throw ApiProblem.notFound("No cluster " + clusterId + ".");
      case ClusterRegistry.DeletionStarted started ->
          ResponseEntity.status(HttpStatus.ACCEPTED).body(view(clusters.findStored(clusterId).orElse(stored)));
    };
  }

  private static ClusterView view(StoredCluster stored) {
    return ClusterView.of(stored.cluster(), stored.preflight().orElse(null), stored.deleting());
  }

  private Cluster validate(ClusterRequest request, Caller caller) {
    Validation v = new Validation();
    if (v.required("name", request.name()) && !request.name().matches("[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}")) {
      v.add("name", "must be 1 to 63 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit");
    }
    UUID organization = organizationOf(request, caller, v);
    Generation generation = null;
    if (v.required("generation", request.generation())) {
      generation = v.parse("generation", request.generation(), Generation::parse);
    }
    if (v.required("region", request.region()) && !regions.exists(request.region())) {
      v.add("region", "unknown region '" + request.region() + "'; known: " + regions.names());
    }
    BackupLocation location = location(request.backupLocation(), request.region(), v);
    ComponentEndpoints endpoints = endpoints(request.components(), v);
    if (endpoints != null) {
      v.addAll(ComponentNetworks.refusals(componentNetworks, endpoints));
    }
    Cluster.StorageLayout storage = null;
    if (v.required("storage", request.storage())) {
      v.check("storage.zeebeBasePath", RegistrationRules.storagePath(request.storage().zeebeBasePath()));
      v.check("storage.searchBasePath", RegistrationRules.storagePath(request.storage().searchBasePath()));
      Optional<String> secondaryRepository = Optional.ofNullable(request.storage().secondarySearchRepository()).filter(r -> !r.isBlank());
      secondaryRepository.ifPresent(r -> v.check("storage.secondarySearchRepository", RegistrationRules.snapshotRepository(r)));
      if (secondaryRepository.isPresent() && location != null && location.type() != BackupLocation.Type.DUAL_REGION) {
        v.add("storage.secondarySearchRepository", "only goes with a DUAL_REGION backup location");
      }
      storage = new Cluster.StorageLayout(request.storage().zeebeBasePath(), request.storage().searchBasePath(), secondaryRepository);
    }
    Cluster.Runtime runtime = runtime(request.runtime(), caller, v);
    if (v.hasErrors()) {
      throw ApiProblem.validation(v.errors());
    }
    return new Cluster(
        UUID.randomUUID().toString(), request.name(), organization, generation, request.region(), location, endpoints, storage, clock.instant(),
        runtime);
  }

  /**
   * MANUAL unless asked; LOCAL_PROCESS only by the operator (its descriptor names processes on
   * Backstop's host, which no tenant may aim a restore at) and only inside the operator's directory.
   */
  private Cluster.Runtime runtime(ClusterRequest.Runtime runtime, Caller caller, Validation v) {
    if (runtime == null || runtime.type() == null || runtime.type().equals("MANUAL")) {
      if (runtime != null && runtime.descriptor() != null) {
        v.add("runtime.descriptor", "only goes with LOCAL_PROCESS");
      }
      return Cluster.Runtime.MANUAL;
    }
    if (!runtime.type().equals("LOCAL_PROCESS")) {
      v.add("runtime.type", "must be MANUAL or LOCAL_PROCESS");
      return Cluster.Runtime.MANUAL;
    }
    if (!caller.isOperator()) {
      v.add("runtime.type", "LOCAL_PROCESS runtimes are registered by the operator only");
      return Cluster.Runtime.MANUAL;
    }
    if (!v.required("runtime.descriptor", runtime.descriptor())) {
      return Cluster.Runtime.MANUAL;
    }
    Path descriptor;
    try {
      descriptor = Path.of(runtime.descriptor());
    } catch (java.nio.file.InvalidPathException e) {
      v.add("runtime.descriptor", "is not a path");
      return Cluster.Runtime.MANUAL;
    }
    if (!descriptor.isAbsolute() || !runtimeSettings.allows(descriptor)) {
      v.add("runtime.descriptor", runtimeSettings.localDirectoryIfSet().isEmpty()
          ? "LOCAL_PROCESS runtimes are not enabled (backstop.runtime.local-directory is not set)"
          : "must be an absolute path inside backstop.runtime.local-directory");
      return Cluster.Runtime.MANUAL;
    }
    if (!java.nio.file.Files.isRegularFile(descriptor)) {
      v.add("runtime.descriptor", "no such file");
      return Cluster.Runtime.MANUAL;
    }
    return Cluster.Runtime.localProcess(descriptor.toAbsolutePath().normalize().toString());
  }

  private UUID organizationOf(ClusterRequest request, Caller caller, Validation v) {
    if (!caller.isOperator()) {
      UUID own = caller.organizationId().orElseThrow();
      if (request.organizationId() != null && !request.organizationId().equals(own.toString())) {
        v.add("organizationId", "an API client registers clusters in its own organization only");
      }
      return own;
    }
    if (!v.required("organizationId", request.organizationId())) {
      return null;
    }
    UUID id = v.parse("organizationId", request.organizationId(), UUID::fromString);
    if (id != null && organizations.find(id).isEmpty()) {
      v.add("organizationId", "no such organization");
      return null;
    }
    return id;
  }

  private BackupLocation location(ClusterRequest.Location location, String region, Validation v) {
    if (location == null || location.type() == null) {
      return location != null && location.secondaryRegion() != null ? invalidLocation(v, "backupLocation.type", "is required") : BackupLocation.sameRegion();
    }
    switch (location.type()) {
      case "SAME_REGION" -> {
        if (location.secondaryRegion() != null) {
          v.add("backupLocation.secondaryRegion", "only goes with DUAL_REGION");
        }
        return BackupLocation.sameRegion();
      }
      case "DUAL_REGION" -> {
        String secondary = location.secondaryRegion();
        if (!v.required("backupLocation.secondaryRegion", secondary)) {
          return null;
        }
        if (!regions.exists(secondary)) {
          v.add("backupLocation.secondaryRegion", "unknown region '" + secondary + "'");
        } else if (secondary.equals(region)) {
          v.add("backupLocation.secondaryRegion", "must differ from the cluster's region");
        }
        return BackupLocation.dualRegion(secondary);
      }
      default -> {
        return invalidLocation(v, "backupLocation.type", "must be SAME_REGION or DUAL_REGION");
      }
    }
  }

  private static BackupLocation invalidLocation(Validation v, String field, String message) {
    v.add(field, message);
    return null;
  }

  private static ComponentEndpoints endpoints(ClusterRequest.Components components, Validation v) {
    if (!v.required("components", components)) {
      return null;
    }
    String zeebe = url(v, "components.zeebe.managementUrl", components.zeebe() == null ? null : components.zeebe().managementUrl());
    Optional<String> operate = optionalUrl(v, "components.operate.managementUrl", components.operate());
    Optional<String> tasklist = optionalUrl(v, "components.tasklist.managementUrl", components.tasklist());
    Optional<String> optimize = optionalUrl(v, "components.optimize.managementUrl", components.optimize());
    ComponentEndpoints.Search search = null;
    if (v.required("components.search", components.search())) {
      String searchUrl = url(v, "components.search.url", components.search().url());
      v.check("components.search.repository", RegistrationRules.snapshotRepository(components.search().repository()));
      String prefix =
          components.search().recordsIndexPrefix() == null || components.search().recordsIndexPrefix().isBlank()
              ? ComponentEndpoints.Search.DEFAULT_RECORDS_INDEX_PREFIX
              : components.search().recordsIndexPrefix();
      v.check("components.search.recordsIndexPrefix", RegistrationRules.indexPrefix(prefix));
      Optional<SearchAuth> auth = searchAuth(components.search().auth(), searchUrl, v);
      Optional<String> searchCa =
          caCertificate(v, "components.search.caCertificate", components.search().caCertificate(), RegistrationRules.isHttps(searchUrl),
              "components.search.url is not https");
      search = new ComponentEndpoints.Search(searchUrl, components.search().repository(), prefix, auth, searchCa);
    }
    boolean anyHttpsManagement =
        Stream.concat(Stream.ofNullable(zeebe), Stream.of(operate, tasklist, optimize).flatMap(Optional::stream)).anyMatch(RegistrationRules::isHttps);
    Optional<String> managementCa =
        caCertificate(v, "components.managementCaCertificate", components.managementCaCertificate(), anyHttpsManagement,
            "no management URL is https");
    return new ComponentEndpoints(zeebe, operate, tasklist, optimize, search, managementCa);
  }

  /**
   * Basic (username and password) or an API key, never both; sent over https only, since either
   * kind is readable by anyone on the path of a plain HTTP request. Messages never quote a value.
   */
  private static Optional<SearchAuth> searchAuth(ClusterRequest.Auth auth, String searchUrl, Validation v) {
    if (auth == null) {
      return Optional.empty();
    }
    String field = "components.search.auth";
    if (searchUrl != null && RegistrationRules.baseUrl(searchUrl).isEmpty() && !RegistrationRules.isHttps(searchUrl)) {
      v.add(field, "is sent over https only: components.search.url must be https");
    }
    if (!v.required(field + ".type", auth.type())) {
      return Optional.empty();
    }
    switch (auth.type()) {
      case "basic" -> {
        if (auth.key() != null) {
          v.add(field + ".key", "only goes with type apiKey: give a username and password, or an API key, not both");
        }
        boolean username = v.required(field + ".username", auth.username());
        boolean password = v.required(field + ".password", auth.password());
        if (username && auth.username().contains(":")) {
          v.add(field + ".username", "must not contain ':' (basic authentication separates username and password with it)");
        }
        return username && password ? Optional.of(new SearchAuth.Basic(auth.username(), auth.password())) : Optional.empty();
      }
      case "apiKey" -> {
        if (auth.username() != null || auth.password() != null) {
          v.add(auth.password() != null ? field + ".password" : field + ".username",
              "only goes with type basic: give a username and password, or an API key, not both");
        }
        if (!v.required(field + ".key", auth.key())) {
          return Optional.empty();
        }
        if (!auth.key().matches("[A-Za-z0-9+/=_-]+")) {
          v.add(field + ".key", "must be the encoded API key (Base64 of id:api_key), as Elasticsearch returns it in 'encoded'");
          return Optional.empty();
        }
        return Optional.of(new SearchAuth.ApiKey(auth.key()));
      }
      default -> {
        v.add(field + ".type", "must be basic or apiKey");
        return Optional.empty();
      }
    }
  }

  private static Optional<String> caCertificate(Validation v, String field, String pem, boolean httpsUsed, String whyNot) {
    if (pem == null) {
      return Optional.empty();
    }
    Optional<String> problem = RegistrationRules.caCertificates(pem);
    v.check(field, problem);
    if (problem.isEmpty() && !httpsUsed) {
      v.add(field, "only goes with https: " + whyNot);
    }
    return problem.isEmpty() ? Optional.of(pem) : Optional.empty();
  }

  private static Optional<String> optionalUrl(Validation v, String field, ClusterRequest.Endpoint endpoint) {
    if (endpoint == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(url(v, field, endpoint.managementUrl()));
  }

  private static String url(Validation v, String field, String value) {
    v.check(field, RegistrationRules.baseUrl(value));
    return value;
  }
}
