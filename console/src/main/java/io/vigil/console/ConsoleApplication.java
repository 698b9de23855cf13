package io.vigil.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Vigil console: write, check, test, review, deploy and watch rules. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConsoleApplication {
  public static void main(String[] args) {
    SpringApplication.run(ConsoleApplication.class, args);
  }
}
