package io.vigil.runtime.sql;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs a {@code MATCH_RECOGNIZE} statement of {@code vigil explain} through Flink SQL on the test
 * stream {@code readings(deviceId, temperature, vibration, status, ts)}, with {@code ts} the
 * event-time attribute. Each match comes back as {@code <key> <first event time> <last event
 * time>}, the way {@link SqlPathAgreementTest} writes the engine's alerts: the statement gets two
 * more measures for that.
 */
final class MatchRecognizeRunner {

  /** One event of the test stream. */
  record Reading(String deviceId, double temperature, double vibration, String status, long ts) {
    String json() {
      return "{\"stream\":\"readings\",\"event\":{\"deviceId\":\"%s\",\"temperature\":%s,\"vibration\":%s,\"status\":\"%s\",\"ts\":%d}}"
          .formatted(deviceId, temperature, vibration, status, ts);
    }
  }

  private MatchRecognizeRunner() {}

  /**
   * A statement as {@code vigil explain} prints it, with the first stage (its first event starts a
   * match) and the last stage (its last event ends it).
   */
  record Statement(String sql, String first, String last) {}

  /**
   * Runs every statement on {@code readings} in one Flink job; the matches of each, sorted, by the
   * statement's name.
   */
  static Map<String, List<String>> matches(
      StreamExecutionEnvironment env, List<Reading> readings, Map<String, Statement> statements)
      throws Exception {
    StreamTableEnvironment tables = StreamTableEnvironment.create(env);
    TypeInformation<Row> rowType =
        Types.ROW_NAMED(
            new String[] {"deviceId", "temperature", "vibration", "status", "vigil_ts_ms"},
            Types.STRING,
            Types.DOUBLE,
            Types.DOUBLE,
            Types.STRING,
            Types.LONG);
    List<Row> rows =
        readings.stream()
            .map(r -> Row.of(r.deviceId(), r.temperature(), r.vibration(), r.status(), r.ts()))
            .toList();
    DataStream<Row> stream =
        env.fromData(rows, rowType)
            .setParallelism(1)
            .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks());
    tables.createTemporaryView(
        "readings",
        stream,
        Schema.newBuilder()
            .column("deviceId", DataTypes.STRING())
            .column("temperature", DataTypes.DOUBLE())
            .column("vibration", DataTypes.DOUBLE())
            .column("status", DataTypes.STRING())
            .column("vigil_ts_ms", DataTypes.BIGINT())
            .columnByExpression("ts", "TO_TIMESTAMP_LTZ(vigil_ts_ms, 3)")
            .watermark("ts", "ts")
            .build());
    DataStream<String> all = null;
    for (Map.Entry<String, Statement> entry : statements.entrySet()) {
      String name = entry.getKey();
      Statement statement = entry.getValue();
      Table table =
          tables.sqlQuery(withMatchTimes(statement.sql(), statement.first(), statement.last()));
      DataStream<String> matches =
          tables
              .toDataStream(table)
              .map(
                  row ->
                      name
                          + " {deviceId="
                          + row.getField("deviceId")
                          + "} "
                          + ((Instant) row.getField("vigil_start")).toEpochMilli()
                          + " "
                          + ((Instant) row.getField("vigil_end")).toEpochMilli());
      all = all == null ? matches : all.union(matches);
    }
    Map<String, List<String>> out = new TreeMap<>();
    statements.keySet().forEach(name -> out.put(name, new ArrayList<>()));
    try (CloseableIterator<String> it = all.executeAndCollect("match-recognize")) {
      while (it.hasNext()) {
        String line = it.next();
        int space = line.indexOf(' ');
        out.get(line.substring(0, space)).add(line.substring(space + 1));
      }
    }
    out.replaceAll((name, matches) -> matches.stream().sorted().toList());
    return out;
  }

  /** The statement with the first and last event time of each match as measures. */
  static String withMatchTimes(String statement, String first, String last) {
    String times = "FIRST(" + first + ".ts) AS vigil_start, LAST(" + last + ".ts) AS vigil_end";
    if (statement.contains("MEASURES\n")) {
      return statement.replace("MEASURES\n      ", "MEASURES\n      " + times + ",\n      ");
    }
    return statement.replace(
        "    ONE ROW PER MATCH", "    MEASURES\n      " + times + "\n    ONE ROW PER MATCH");
  }
}
