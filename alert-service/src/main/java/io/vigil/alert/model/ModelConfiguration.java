package io.vigil.alert.model;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class ModelConfiguration {
  @Bean
  AlertJson alertJson(JsonMapper mapper) {
    return new AlertJson(mapper);
  }
}
