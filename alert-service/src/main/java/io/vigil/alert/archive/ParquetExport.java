package io.vigil.alert.archive;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Copies the archive table to Parquet, in batches that make every run idempotent:
 *
 * <ol>
 *   <li><b>claim</b>: one database transaction takes a new batch number and stamps it on the rows
 *       no batch holds yet ({@code FOR UPDATE SKIP LOCKED}). From then on the batch's content is
 *       fixed: archive rows are never updated or deleted.
 *   <li><b>write</b>: the batch's rows go through an in-memory DuckDB into one file per (date,
 *       rule) at {@code date=YYYY-MM-DD/rule=<id>/part-<batch>.parquet}, each written to a hidden
 *       temporary name and renamed into place.
 *   <li><b>mark</b>: {@code parquet_export.written_at} is set.
 * </ol>
 *
 * A crash before the claim commits leaves the rows unclaimed; after it, the next run writes the
 * batch again to the same names with the same rows. So each alert is in exactly one file, under
 * redelivery, restarts and several service instances.
 */
class ParquetExport {
  private static final Logger log = LoggerFactory.getLogger(ParquetExport.class);

  static final String COLUMNS =
      "alert_id VARCHAR, rule_id VARCHAR, rule_version INTEGER, kind VARCHAR, severity VARCHAR,"
          + " title VARCHAR, message VARCHAR, tags VARCHAR[], owner VARCHAR, alert_key VARCHAR,"
          + " key_text VARCHAR, start_time TIMESTAMPTZ, end_time TIMESTAMPTZ,"
          + " detected_at TIMESTAMPTZ, archived_at TIMESTAMPTZ, alert VARCHAR,"
          + " export_batch BIGINT, day DATE";

  private final JdbcTemplate jdbc;
  private final ArchiveProperties.Parquet options;
  private final MeterRegistry metrics;
  private ScheduledExecutorService scheduler;

  ParquetExport(JdbcTemplate jdbc, ArchiveProperties.Parquet options, MeterRegistry metrics) {
    this.jdbc = jdbc;
    this.options = options;
    this.metrics = metrics;
  }

  void start() {
    if (options.root().isEmpty()) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "parquet-export");
              thread.setDaemon(true);
              return thread;
            });
    long interval = options.exportInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::runSafely, interval, interval, TimeUnit.MILLISECONDS);
  }

  void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  private void runSafely() {
    try {
      exportPending();
    } catch (RuntimeException e) {
      // The database or the disk is away: the next run picks up where this one stopped.
      log.warn("Parquet export failed, will retry in {}", options.exportInterval(), e);
      metrics.counter("vigil.archive.parquet.failures").increment();
    }
  }

  /** Claims the unexported rows as a new batch, then writes every batch not yet written. */
  void exportPending() {
    Path root = options.root().orElseThrow();
    claim();
    List<Long> pending =
        jdbc.queryForList(
            "SELECT batch FROM parquet_export WHERE written_at IS NULL ORDER BY batch", Long.class);
    for (long batch : pending) {
      int files = write(root, batch);
      jdbc.update("UPDATE parquet_export SET written_at = now() WHERE batch = ?", batch);
      metrics.counter("vigil.archive.parquet.files").increment(files);
      log.info("Parquet export batch {} written ({} files)", batch, files);
    }
  }

  private void claim() {
    Boolean pending =
        jdbc.queryForObject(
            "SELECT EXISTS (SELECT 1 FROM alert_archive WHERE export_batch IS NULL)",
            Boolean.class);
    if (!Boolean.TRUE.equals(pending)) {
      return;
    }
    jdbc.execute(
        (Connection connection) -> {
          connection.setAutoCommit(false);
          try (Statement statement = connection.createStatement();
              ResultSet next = statement.executeQuery("SELECT nextval('parquet_export_batch')");
              PreparedStatement stamp =
                  connection.prepareStatement(
                      """
                      UPDATE alert_archive a SET export_batch = ?
                      FROM (SELECT alert_id FROM alert_archive WHERE export_batch IS NULL
                            ORDER BY archived_at, alert_id LIMIT ? FOR UPDATE SKIP LOCKED) p
                      WHERE a.alert_id = p.alert_id
                      """);
              PreparedStatement record =
                  connection.prepareStatement(
                      "INSERT INTO parquet_export (batch, row_count) VALUES (?, ?)")) {
            next.next();
            long batch = next.getLong(1);
            stamp.setLong(1, batch);
            stamp.setInt(2, options.maxBatchRows());
            int rows = stamp.executeUpdate();
            if (rows == 0) {
              connection.rollback();
            } else {
              record.setLong(1, batch);
              record.setInt(2, rows);
              record.executeUpdate();
              connection.commit();
            }
            return rows;
          } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
          } finally {
            connection.setAutoCommit(true);
          }
        });
  }

  private int write(Path root, long batch) {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement()) {
      statement.execute("SET threads = 1");
      statement.execute("CREATE TABLE batch (" + COLUMNS + ")");
      load(duck, batch);
      List<Partition> partitions = new ArrayList<>();
      try (ResultSet rs =
          statement.executeQuery("SELECT DISTINCT day, rule_id FROM batch ORDER BY 1, 2")) {
        while (rs.next()) {
          partitions.add(new Partition(rs.getObject(1, LocalDate.class), rs.getString(2)));
        }
      }
      for (Partition partition : partitions) {
        Path target = partition.file(root, batch);
        Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.createDirectories(target.getParent());
        statement.execute(
            "COPY (SELECT * EXCLUDE (day) FROM batch WHERE day = DATE '"
                + partition.day()
                + "' AND rule_id = "
                + literal(partition.ruleId())
                + " ORDER BY detected_at, alert_id) TO "
                + literal(temporary.toString())
                + " (FORMAT PARQUET, COMPRESSION ZSTD)");
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      return partitions.size();
    } catch (SQLException e) {
      throw new IllegalStateException("Parquet export of batch " + batch + " failed", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void load(Connection duck, long batch) throws SQLException {
    try (PreparedStatement insert =
        duck.prepareStatement(
            "INSERT INTO batch VALUES (?, ?, ?, ?, ?, ?, ?, CAST(CAST(? AS JSON) AS VARCHAR[]),"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      jdbc.query(
          """
          SELECT alert_id, rule_id, rule_version, kind, severity, title, message,
                 to_jsonb(tags)::text, owner, alert_key::text, key_text, start_time, end_time,
                 detected_at, archived_at, alert::text, export_batch,
                 (detected_at AT TIME ZONE 'UTC')::date
          FROM alert_archive WHERE export_batch = ?
          """,
          (ResultSet rs) -> {
            for (int c = 1; c <= 18; c++) {
              Object value =
                  switch (c) {
                    case 3 -> rs.getInt(c);
                    case 12, 13, 14, 15 -> rs.getObject(c, OffsetDateTime.class);
                    case 17 -> rs.getLong(c);
                    case 18 -> rs.getObject(c, LocalDate.class);
                    default -> rs.getString(c);
                  };
              insert.setObject(c, value);
            }
            insert.addBatch();
          },
          batch);
      insert.executeBatch();
    }
  }

  /** A SQL string literal (DuckDB's COPY takes no bind parameters). */
  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** One output file: the alerts of one rule detected on one UTC day. */
  record Partition(LocalDate day, String ruleId) {
    Path file(Path root, long batch) {
      return root.resolve("date=" + day)
          .resolve("rule=" + escape(ruleId))
          .resolve(String.format("part-%012d.parquet", batch));
    }

    /**
     * Hive's partition-value escaping: characters that would break a path or the {@code name=value}
     * form become {@code %XX}.
     */
    static String escape(String value) {
      StringBuilder out = new StringBuilder();
      for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
        char c = (char) (b & 0xff);
        if ((c >= 'a' && c <= 'z')
            || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9')
            || c == '_'
            || c == '-'
            || c == '.') {
          out.append(c);
        } else {
          out.append('%').append(String.format("%02X", b & 0xff));
        }
      }
      return out.toString();
    }
  }
}
