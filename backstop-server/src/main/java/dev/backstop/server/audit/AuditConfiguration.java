package dev.backstop.server.audit;

import dev.backstop.core.audit.AuditService;
import dev.backstop.core.audit.AuditTrail;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The audit trail's use case, and its recording of every state-changing request. */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration implements WebMvcConfigurer {

  private final AuditInterceptor interceptor;

  public AuditConfiguration(AuditInterceptor interceptor) {
    this.interceptor = interceptor;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(interceptor);
  }

  @Bean
  AuditService auditService(AuditTrail trail) {
    return new AuditService(trail);
  }
}
