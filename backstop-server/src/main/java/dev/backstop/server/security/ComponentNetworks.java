package dev.backstop.server.security;

import dev.backstop.camunda.JsonHttp;
import dev.backstop.core.cluster.ComponentEndpoints;
import dev.backstop.core.usecase.FieldError;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the component URLs of a cluster may point: public addresses and the networks the operator
 * lists in {@value #SETTING} — by default none: a private, loopback or link-local address (the
 * cloud metadata service) only once the operator lists its network, e.g. the clusters' subnet, and
 * never Backstop's own.
 * Checked when a cluster is registered (400 naming the field) and before every call Backstop makes
 * to a component (a name may resolve elsewhere later): a client with {@code clusters:write} can make
 * Backstop call only where the operator said clusters live.
 */
@Configuration(proxyBeanMethods = false)
public class ComponentNetworks {

  public static final String SETTING = "backstop.security.component-networks";

  @Bean
  NetworkGuard componentNetworkGuard(@Value("${" + SETTING + ":}") List<String> networks) {
    return NetworkGuard.publicAnd(SETTING, networks, NetworkGuard.Resolver.SYSTEM);
  }

  @Bean
  JsonHttp.HostPolicy componentHostPolicy(@Qualifier("componentNetworkGuard") NetworkGuard guard) {
    return guard::refusal;
  }

  /**
   * The registration's component URLs that point where they may not, each as a field error. A name
   * that does not resolve (yet) is left to the preflight, which reports it unreachable.
   */
  public static List<FieldError> refusals(NetworkGuard guard, ComponentEndpoints endpoints) {
    Map<String, String> urls = new LinkedHashMap<>();
    urls.put("components.zeebe.managementUrl", endpoints.zeebeManagementUrl());
    endpoints.operateManagementUrl().ifPresent(url -> urls.put("components.operate.managementUrl", url));
    endpoints.tasklistManagementUrl().ifPresent(url -> urls.put("components.tasklist.managementUrl", url));
    endpoints.optimizeManagementUrl().ifPresent(url -> urls.put("components.optimize.managementUrl", url));
    if (endpoints.search() != null) {
      urls.put("components.search.url", endpoints.search().url());
    }
    List<FieldError> errors = new ArrayList<>();
    urls.forEach((field, url) -> {
      if (url == null) {
        return;
      }
      try {
        if (guard.check(URI.create(url)) instanceof NetworkGuard.Verdict.Refused refused && !refused.unresolved()) {
          errors.add(new FieldError(field, refused.reason()));
        }
      } catch (IllegalArgumentException malformed) {
        // the URL rules report it
      }
    });
    return errors;
  }
}
