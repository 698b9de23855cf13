package io.vigil.alert.archive;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.alert.ingest.IngestProperties;
import io.vigil.alert.model.AlertJson;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The archive's parts, created only when {@code vigil.archive.jdbc-url} is set. The connection pool
 * is the archive's own (no Spring Boot DataSource auto-configuration), so the service without an
 * archive needs no database and no DataSource settings.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(ArchiveConfiguration.ENABLED)
class ArchiveConfiguration {
  /** True when the archive is configured; every archive bean is conditional on it. */
  static final String ENABLED = "!'${vigil.archive.jdbc-url:}'.isBlank()";

  static final String MIGRATIONS = "classpath:db/archive";
  static final String SCHEMA_HISTORY = "alert_archive_schema_history";

  @Bean(destroyMethod = "close")
  HikariDataSource archiveDataSource(ArchiveProperties properties) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("vigil-archive");
    config.setJdbcUrl(properties.jdbcUrl());
    if (!properties.username().isBlank()) {
      config.setUsername(properties.username());
    }
    if (!properties.password().isEmpty()) {
      config.setPassword(properties.password());
    }
    config.setMaximumPoolSize(properties.poolSize());
    HikariDataSource dataSource = new HikariDataSource(config);
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations(MIGRATIONS)
          .table(SCHEMA_HISTORY)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    return dataSource;
  }

  @Bean
  ArchiveStore archiveStore(HikariDataSource archiveDataSource, JsonMapper mapper) {
    return new ArchiveStore(new JdbcTemplate(archiveDataSource), mapper);
  }

  @Bean
  ArchiveIntake archiveIntake(
      ArchiveStore store,
      AlertJson json,
      ArchiveProperties properties,
      IngestProperties ingest,
      MeterRegistry metrics) {
    return new ArchiveIntake(store, json, ingest.topic(), properties.consumerGroup(), metrics);
  }

  @Bean(initMethod = "start", destroyMethod = "stop")
  ParquetExport parquetExport(
      HikariDataSource archiveDataSource, ArchiveProperties properties, MeterRegistry metrics) {
    return new ParquetExport(new JdbcTemplate(archiveDataSource), properties.parquet(), metrics);
  }
}
