package io.vigil.alert.ops;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/** Reports whether the Kafka cluster answers; Spring Boot has no Kafka health indicator itself. */
@Component("kafka")
class KafkaHealthIndicator implements HealthIndicator, DisposableBean {
  private final AdminClient admin;

  KafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
    this.admin = AdminClient.create(kafkaAdmin.getConfigurationProperties());
  }

  @Override
  public Health health() {
    try {
      var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000));
      int nodes = cluster.nodes().get(5, TimeUnit.SECONDS).size();
      return Health.up()
          .withDetail("clusterId", cluster.clusterId().get(5, TimeUnit.SECONDS))
          .withDetail("nodes", nodes)
          .build();
    } catch (Exception e) {
      return Health.down(e).build();
    }
  }

  @Override
  public void destroy() {
    admin.close();
  }
}
