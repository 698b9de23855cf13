package io.vigil.testing.docs.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

@ConfigurationProperties("vigil.sample")
public record SampleProperties(
    @DefaultValue("10s") Duration pollInterval,
    @DefaultValue("4") int workers,
    @DefaultValue List<String> allowedHosts,
    String token,
    Map<String, String> keys,
    @DefaultValue Nested nested,
    List<User> users) {

  public record Nested(@DefaultValue("5m") Duration exportInterval) {}

  public record User(String username) {}
}
