package dev.backstop.server.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * How the API reads requests and answers what it refuses: request bodies are read strictly (an
 * unknown field, a misspelt one, is named instead of ignored; anything after the JSON value and
 * U+0000 in a string are refused), the {@link RequestShapeCheck} runs before every endpoint, and
 * Tomcat's own refusals are problem+json. The strict reading applies to request bodies only: the
 * application's {@link ObjectMapper}, which also reads what Backstop stored, stays lenient. Bodies
 * are capped ({@link RequestBodyLimit}, {@code backstop.api.max-body-size}, 1 MB).
 */
@Configuration(proxyBeanMethods = false)
public class ApiWebConfiguration implements WebMvcConfigurer {

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    // after the audit trail's interceptor (order 0), so that what this refuses is recorded too
    registry.addInterceptor(new RequestShapeCheck()).order(1).excludePathPatterns("/error");
  }

  @Override
  public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
    for (HttpMessageConverter<?> converter : converters) {
      if (converter instanceof MappingJackson2HttpMessageConverter json) {
        ObjectMapper strict = json.getObjectMapper().copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // "{} {}" is not one JSON text: without this, the first value is read and the rest ignored
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .registerModule(new SimpleModule("backstop-request-strings").addDeserializer(String.class, new RefusedValue.NoNulStrings()));
        json.setObjectMapper(strict);
      }
    }
  }

  /** Before everything else: a body too large is refused before anyone reads it. */
  @Bean
  FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(@Value("${backstop.api.max-body-size:1MB}") DataSize limit) {
    FilterRegistrationBean<RequestBodyLimit> registration = new FilterRegistrationBean<>(new RequestBodyLimit(limit));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    return factory -> factory.addContextCustomizers(context -> {
      if (context.getParent() instanceof StandardHost host) {
        host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
      }
    });
  }
}
