package dev.backstop.camunda;

import dev.backstop.core.cluster.ComponentEndpoints;

/**
 * The HTTP of one cluster's components, derived from the shared one: the search engine's carries
 * its credentials and trusts its CA; the management endpoints' trust theirs. The search engine's
 * credentials go to the search engine only.
 */
final class ComponentHttp {

  private ComponentHttp() {}

  static JsonHttp search(JsonHttp shared, ComponentEndpoints.Search search) {
    JsonHttp http = search.caCertificate().map(shared::trusting).orElse(shared);
    return search.auth().map(auth -> http.withAuthorization(auth.authorization())).orElse(http);
  }

  static JsonHttp management(JsonHttp shared, ComponentEndpoints endpoints) {
    return endpoints.managementCaCertificate().map(shared::trusting).orElse(shared);
  }
}
