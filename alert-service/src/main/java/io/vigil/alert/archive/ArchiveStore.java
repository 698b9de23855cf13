package io.vigil.alert.archive;

import io.vigil.alert.model.Alert;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The archive table: idempotent inserts and keyset-paginated reads. */
class ArchiveStore {
  private static final String INSERT =
      """
      INSERT INTO alert_archive (alert_id, rule_id, rule_version, kind, severity, title, message,
          tags, owner, alert_key, key_text, start_time, end_time, detected_at, alert)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb)
      ON CONFLICT (alert_id) DO NOTHING
      """;

  /** One page of alerts (full JSON, newest first) and where the next page starts, if any. */
  record Page(List<JsonNode> alerts, Optional<ArchiveCursor> next) {
    Page {
      alerts = List.copyOf(alerts);
    }
  }

  private final JdbcTemplate jdbc;
  private final JsonMapper mapper;

  ArchiveStore(JdbcTemplate jdbc, JsonMapper mapper) {
    this.jdbc = jdbc;
    this.mapper = mapper;
  }

  /**
   * Inserts the alerts in one transaction and returns how many were new.
   *
   * @param encoded the canonical JSON of each alert (same order)
   */
  int insert(List<Alert> alerts, List<String> encoded) {
    return jdbc.execute(
        (Connection connection) -> {
          boolean autoCommit = connection.getAutoCommit();
          connection.setAutoCommit(false);
          try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            for (int i = 0; i < alerts.size(); i++) {
              bind(connection, statement, alerts.get(i), encoded.get(i));
              statement.addBatch();
            }
            int inserted = 0;
            for (int count : statement.executeBatch()) {
              inserted += count > 0 ? 1 : 0;
            }
            connection.commit();
            return inserted;
          } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
          } finally {
            connection.setAutoCommit(autoCommit);
          }
        });
  }

  private void bind(Connection connection, PreparedStatement s, Alert alert, String json)
      throws SQLException {
    Array tags = connection.createArrayOf("text", alert.tags().toArray());
    s.setString(1, alert.alertId());
    s.setString(2, alert.ruleId());
    s.setInt(3, alert.ruleVersion());
    s.setString(4, alert.kind().name());
    s.setString(5, alert.severity().wireName());
    s.setString(6, alert.title());
    s.setString(7, alert.message());
    s.setArray(8, tags);
    s.setString(9, alert.owner().orElse(null));
    s.setString(10, mapper.writeValueAsString(new TreeMap<>(alert.key())));
    s.setString(11, alert.keyText());
    s.setObject(12, utc(alert.startTime()));
    s.setObject(13, utc(alert.endTime()));
    s.setObject(14, utc(alert.detectedAt()));
    s.setString(15, json);
  }

  Page find(ArchiveQuery query) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT alert::text, detected_at, alert_id FROM alert_archive WHERE true");
    List<Object> args = new ArrayList<>();
    query
        .ruleId()
        .ifPresent(
            rule -> {
              sql.append(" AND rule_id = ?");
              args.add(rule);
            });
    query
        .severity()
        .ifPresent(
            severity -> {
              sql.append(" AND severity = ?");
              args.add(severity.wireName());
            });
    if (!query.key().isEmpty()) {
      sql.append(" AND alert_key @> ?::jsonb");
      args.add(mapper.writeValueAsString(new TreeMap<>(query.key())));
    }
    query
        .from()
        .ifPresent(
            from -> {
              sql.append(" AND detected_at >= ?");
              args.add(utc(from));
            });
    query
        .to()
        .ifPresent(
            to -> {
              sql.append(" AND detected_at < ?");
              args.add(utc(to));
            });
    query
        .after()
        .ifPresent(
            cursor -> {
              sql.append(" AND (detected_at, alert_id) < (?, ?)");
              args.add(utc(cursor.detectedAt()));
              args.add(cursor.alertId());
            });
    sql.append(" ORDER BY detected_at DESC, alert_id DESC LIMIT ?");
    args.add(query.limit() + 1);
    List<Row> rows = jdbc.query(sql.toString(), (ResultSet rs, int n) -> row(rs), args.toArray());
    boolean more = rows.size() > query.limit();
    List<Row> page = more ? rows.subList(0, query.limit()) : rows;
    Optional<ArchiveCursor> next =
        more ? Optional.of(page.get(page.size() - 1).cursor()) : Optional.empty();
    return new Page(page.stream().map(Row::alert).toList(), next);
  }

  private record Row(JsonNode alert, ArchiveCursor cursor) {}

  private Row row(ResultSet rs) throws SQLException {
    return new Row(
        mapper.readTree(rs.getString(1)),
        new ArchiveCursor(rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3)));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
