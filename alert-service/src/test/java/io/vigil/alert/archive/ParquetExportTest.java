package io.vigil.alert.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.alert.Alerts;
import io.vigil.alert.model.Alert;
import io.vigil.alert.model.AlertJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The exporter's crash windows, against a real PostgreSQL server: a batch claimed but not marked
 * written (the process died while writing) is written again to the same file names, and alerts
 * inserted again add neither rows nor files.
 */
class ParquetExportTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  @TempDir Path parquet;

  @Test
  void aBatchInterruptedWhileWritingIsWrittenAgainToTheSameFilesAndDuplicatesAddNothing()
      throws Exception {
    String database = "export_" + Alerts.newId().substring(0, 8);
    ArchiveProperties properties =
        new ArchiveProperties(
            RealPostgres.get().createDatabase(database),
            RealPostgres.USER,
            "",
            "unused",
            2,
            100,
            1000,
            new ArchiveProperties.Parquet(parquet.toString(), Duration.ofMinutes(1), 20));
    try (HikariDataSource dataSource = new ArchiveConfiguration().archiveDataSource(properties)) {
      JdbcTemplate jdbc = new JdbcTemplate(dataSource);
      ArchiveStore store = new ArchiveStore(jdbc, MAPPER);
      AlertJson json = new AlertJson(MAPPER);
      List<Alert> alerts = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        alerts.add(
            json.decode(
                Alerts.json(
                    Alerts.newId(),
                    "rule_" + (i % 2),
                    "high",
                    List.of("t"),
                    null,
                    Map.of("cardId", "c-" + i),
                    Instant.parse("2026-05-01T23:59:00Z").plusSeconds(i))));
      }
      List<String> encoded = alerts.stream().map(json::encode).toList();
      assertThat(store.insert(alerts, encoded)).isEqualTo(50);

      ParquetExport export =
          new ParquetExport(jdbc, properties.parquet(), new SimpleMeterRegistry());
      for (int run = 0; run < 3; run++) {
        export.exportPending(); // 20 + 20 + 10 rows
      }
      List<String> files = files();
      assertThat(jdbc.queryForObject("SELECT count(*) FROM parquet_export", Long.class))
          .isEqualTo(3);
      assertThat(distinctAlertsInFiles()).isEqualTo(50);

      // The process died after claiming the batches and before marking them written: one file
      // never made it, another left a half-written temporary.
      jdbc.update("UPDATE parquet_export SET written_at = NULL");
      Files.delete(parquet.resolve(files.get(0)));
      Path half = parquet.resolve(files.get(1));
      Files.writeString(half.resolveSibling("." + half.getFileName() + ".tmp"), "half a file");
      export.exportPending();
      assertThat(files()).isEqualTo(files);
      assertThat(rowsInFiles()).isEqualTo(50);
      assertThat(distinctAlertsInFiles()).isEqualTo(50);

      // Redelivered alerts: no new rows, no new batch, no new file.
      assertThat(store.insert(alerts, encoded)).isZero();
      export.exportPending();
      assertThat(files()).isEqualTo(files);
      assertThat(jdbc.queryForObject("SELECT count(*) FROM alert_archive", Long.class))
          .isEqualTo(50);
      assertThat(jdbc.queryForObject("SELECT count(*) FROM parquet_export", Long.class))
          .isEqualTo(3);
    }
  }

  private List<String> files() throws Exception {
    try (Stream<Path> walk = Files.walk(parquet)) {
      return walk.filter(Files::isRegularFile)
          .map(f -> parquet.relativize(f).toString())
          .sorted()
          .toList();
    }
  }

  private long rowsInFiles() throws Exception {
    return duck("SELECT count(*) FROM ");
  }

  private long distinctAlertsInFiles() throws Exception {
    return duck("SELECT count(DISTINCT alert_id) FROM ");
  }

  private long duck(String select) throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement();
        ResultSet rs =
            statement.executeQuery(
                select
                    + "read_parquet('"
                    + parquet
                    + "/**/*.parquet', hive_partitioning = true)")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
