package io.vigil.alert;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Consumes vigil.alerts and fans every alert out to Redis, webhooks and email. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class AlertServiceApplication {
  public static void main(String[] args) {
    SpringApplication.run(AlertServiceApplication.class, args);
  }
}
