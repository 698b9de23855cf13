package io.vigil.alert.api;

import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration {
  @Bean
  FilterRegistrationBean<ApiTokenFilter> apiTokenFilter(ApiProperties properties) {
    FilterRegistrationBean<ApiTokenFilter> registration =
        new FilterRegistrationBean<>(new ApiTokenFilter(properties.token()));
    registration.addUrlPatterns("/api/*", "/actuator/*");
    return registration;
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
