package io.vigil.alert.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.alert.Alerts;
import io.vigil.alert.RealInfrastructure;
import io.vigil.alert.ServiceProcess;
import io.vigil.alert.ServiceTestSupport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The archive end to end: the real service in a child JVM consumes alerts from a real Kafka broker
 * and archives them in a real PostgreSQL server and in Parquet files. The input carries duplicates
 * (the same records published twice); then the service is stopped, its archive consumer group is
 * rewound to the start of the topic (so every record is delivered again), more alerts arrive while
 * it is down, and it is started again. The tests check the end state.
 */
class AlertArchiveTest {
  private static final String TOKEN = "archive-test-token-0123456789";
  private static final int REDIS_DATABASE = 6;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant DAY_ONE = Instant.parse("2026-03-01T22:00:00Z");
  private static final Instant DAY_TWO = Instant.parse("2026-03-02T01:00:00Z");
  private static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");

  private static String run;
  private static String database;
  private static Path parquet;
  private static ServiceProcess service;
  private static final List<Published> published = new ArrayList<>();
  private static List<String> filesBeforeRestart;

  record Published(
      String alertId, String ruleId, String severity, String cardId, Instant detectedAt) {
    String day() {
      return detectedAt.toString().substring(0, 10);
    }
  }

  @BeforeAll
  static void archiveThroughRedeliveryAndRestart() throws Exception {
    RealInfrastructure infra = RealInfrastructure.get();
    run = Alerts.newId().substring(0, 8);
    database = "archive_" + run;
    String jdbcUrl = RealPostgres.get().createDatabase(database);
    String topic = "vigil.alerts.archive-" + run;
    infra.kafka.createTopics(topic);
    parquet = Path.of("target", "archive-" + run, "parquet").toAbsolutePath();
    Map<String, String> properties = new HashMap<>();
    properties.put("spring.kafka.bootstrap-servers", infra.bootstrapServers());
    properties.put("spring.kafka.consumer.group-id", "archive-ingest-" + run);
    properties.put("spring.data.redis.host", "127.0.0.1");
    properties.put("spring.data.redis.port", Integer.toString(infra.redisPort));
    properties.put("spring.data.redis.database", Integer.toString(REDIS_DATABASE));
    properties.put("spring.mail.host", "127.0.0.1");
    properties.put("spring.mail.port", Integer.toString(infra.mail.getSmtp().getPort()));
    properties.put("vigil.api.token", TOKEN);
    properties.put("vigil.secrets.active-key", ServiceTestSupport.SECRET_KEY_ID);
    properties.put(
        "vigil.secrets.keys." + ServiceTestSupport.SECRET_KEY_ID, ServiceTestSupport.SECRET_KEY);
    properties.put("vigil.ingest.topic", topic);
    properties.put("vigil.archive.jdbc-url", jdbcUrl);
    properties.put("vigil.archive.username", RealPostgres.USER);
    properties.put("vigil.archive.consumer-group", "archive-" + run);
    properties.put("vigil.archive.parquet.directory", parquet.toString());
    properties.put("vigil.archive.parquet.export-interval", "300ms");
    // Small batches, so that the export runs in several batches and files.
    properties.put("vigil.archive.parquet.max-batch-rows", "7");

    // Three rules, two UTC days, every severity, three keys.
    List<String> rules = List.of("r_a_" + run, "r_b_" + run, "r_c_" + run);
    int[] perRule = {12, 9, 6};
    for (int r = 0; r < rules.size(); r++) {
      for (int i = 0; i < perRule[r]; i++) {
        Instant at = (i % 2 == 0 ? DAY_ONE : DAY_TWO).plusSeconds(60L * i + r);
        published.add(
            new Published(Alerts.newId(), rules.get(r), SEVERITIES.get(i % 4), "c-" + (i % 3), at));
      }
    }
    int port = RealInfrastructure.freePort();
    Path logs = Path.of("target", "archive-" + run);
    try (ServiceProcess first = ServiceProcess.start(logs.resolve("run-1.log"), port, properties)) {
      publish(topic, published);
      publish(topic, published.subList(0, 10)); // at-least-once input: the same records again
      awaitArchived(jdbcUrl, topic, "archive-" + run, published.size(), published.size() + 10);
      filesBeforeRestart = parquetFiles();
      first.terminate(Duration.ofSeconds(60));
    }
    // Rewound: the restarted service gets every record again, plus three new alerts.
    rewind(topic, "archive-" + run);
    List<Published> late = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      late.add(
          new Published(
              Alerts.newId(), rules.get(2), "high", "c-9", DAY_TWO.plusSeconds(3600L + i)));
    }
    publish(topic, late);
    published.addAll(late);
    service = ServiceProcess.start(logs.resolve("run-2.log"), port, properties);
    awaitArchived(jdbcUrl, topic, "archive-" + run, published.size(), published.size() + 10);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void everyAlertIsArchivedExactlyOnceDespiteRedeliveryAndARestart() throws Exception {
    Map<String, Long> rows = new TreeMap<>();
    try (Connection db = RealPostgres.get().connect(database);
        Statement statement = db.createStatement();
        ResultSet rs =
            statement.executeQuery("SELECT alert_id, count(*) FROM alert_archive GROUP BY 1")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getLong(2));
      }
    }
    assertThat(rows.keySet())
        .containsExactlyInAnyOrderElementsOf(published.stream().map(Published::alertId).toList());
    assertThat(rows.values()).containsOnly(1L);
  }

  @Test
  void parquetFilesGiveTheSameCountsPerRuleAndDateAsTheDatabaseWithEachAlertOnce()
      throws Exception {
    Map<String, Long> expected =
        published.stream()
            .collect(
                Collectors.groupingBy(
                    p -> p.day() + "/" + p.ruleId(), TreeMap::new, Collectors.counting()));
    Map<String, Long> inDatabase = new TreeMap<>();
    try (Connection db = RealPostgres.get().connect(database);
        Statement statement = db.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT (detected_at AT TIME ZONE 'UTC')::date, rule_id, count(*)"
                    + " FROM alert_archive GROUP BY 1, 2")) {
      while (rs.next()) {
        inDatabase.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
      }
    }
    Map<String, Long> inParquet = new TreeMap<>();
    long rows;
    long distinct;
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duck.createStatement()) {
      String files = "read_parquet('" + parquet + "/**/*.parquet', hive_partitioning = true)";
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT CAST(date AS VARCHAR), rule, count(*) FROM " + files + " GROUP BY ALL")) {
        while (rs.next()) {
          inParquet.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
        }
      }
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT count(*), count(DISTINCT alert_id) FROM "
                  + files
                  + " WHERE rule_id = rule AND CAST(detected_at AT TIME ZONE 'UTC' AS DATE) = date")) {
        rs.next();
        rows = rs.getLong(1);
        distinct = rs.getLong(2);
      }
    }
    assertThat(inDatabase).isEqualTo(expected);
    assertThat(inParquet).isEqualTo(expected);
    assertThat(rows).as("every row in the partition its path names").isEqualTo(published.size());
    assertThat(distinct).as("no alert in two files").isEqualTo(published.size());
    assertThat(parquetFiles())
        .allMatch(
            f -> f.matches("date=2026-03-0[12]/rule=r_[abc]_[0-9a-f]{8}/part-[0-9]{12}\\.parquet"),
            "Hive-style date=YYYY-MM-DD/rule=<id>/part-<batch>.parquet");
    assertThat(parquetFiles())
        .as("files written before the restart stay; the restart adds only new batches")
        .containsAll(filesBeforeRestart)
        .hasSizeGreaterThan(filesBeforeRestart.size());
  }

  @Test
  void theQueryPagesThroughTheArchiveNewestFirstWithoutGapsOrRepeats() throws Exception {
    String rule = published.get(0).ruleId();
    List<String> expected =
        published.stream()
            .filter(p -> p.ruleId().equals(rule))
            .sorted(
                java.util.Comparator.comparing(Published::detectedAt)
                    .thenComparing(Published::alertId)
                    .reversed())
            .map(Published::alertId)
            .toList();
    List<String> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cursor = "";
    do {
      JsonNode page = get("/api/archive/alerts?ruleId=" + rule + "&limit=5&cursor=" + cursor);
      page.get("alerts").forEach(a -> seen.add(a.get("alertId").asString()));
      pageSizes.add(page.get("alerts").size());
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
    } while (cursor != null);
    assertThat(seen).isEqualTo(expected);
    assertThat(pageSizes).containsExactly(5, 5, 2);
  }

  @Test
  void theQueryFiltersBySeverityKeyAndTimeRange() throws Exception {
    String rule = published.get(0).ruleId();
    Instant from = DAY_ONE;
    Instant to = DAY_ONE.plusSeconds(60L * 9);
    List<String> expected =
        published.stream()
            .filter(p -> p.ruleId().equals(rule))
            .filter(p -> p.severity().equals("low") && p.cardId().equals("c-0"))
            .filter(p -> !p.detectedAt().isBefore(from) && p.detectedAt().isBefore(to))
            .map(Published::alertId)
            .toList();
    JsonNode page =
        get(
            "/api/archive/alerts?ruleId="
                + rule
                + "&severity=low&key="
                + URLEncoder.encode("cardId=c-0", StandardCharsets.UTF_8)
                + "&from="
                + from
                + "&to="
                + to);
    List<String> found = new ArrayList<>();
    page.get("alerts").forEach(a -> found.add(a.get("alertId").asString()));
    assertThat(expected).isNotEmpty();
    assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(page.get("alerts").get(0).get("key").get("cardId").asString()).isEqualTo("c-0");
  }

  @Test
  void theQueryNeedsTheTokenAndExplainsBadParameters() throws Exception {
    assertThat(service.get("/api/archive/alerts").statusCode()).isEqualTo(401);
    var badCursor = service.get("/api/archive/alerts?cursor=nonsense", TOKEN);
    assertThat(badCursor.statusCode()).isEqualTo(400);
    assertThat(badCursor.body()).contains("cursor");
    var badLimit = service.get("/api/archive/alerts?limit=100000", TOKEN);
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(badLimit.body()).contains("limit must be between 1 and 1000");
  }

  private static JsonNode get(String path) throws Exception {
    var response = service.get(path, TOKEN);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static void publish(String topic, List<Published> alerts) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                RealInfrastructure.get().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      for (Published p : alerts) {
        String value =
            Alerts.json(
                p.alertId(),
                p.ruleId(),
                p.severity(),
                List.of("archive"),
                null,
                Map.of("cardId", p.cardId()),
                p.detectedAt());
        producer.send(new ProducerRecord<>(topic, p.cardId(), value)).get();
      }
    }
  }

  /**
   * Waits until the archive group has committed the whole topic, the table holds {@code rows}
   * alerts, and every alert has been exported to Parquet.
   */
  private static void awaitArchived(
      String jdbcUrl, String topic, String group, int rows, long endOffset) {
    await("archived and exported")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                committed(topic, group) == endOffset
                    && query(jdbcUrl, "SELECT count(*) FROM alert_archive") == rows
                    && query(
                            jdbcUrl,
                            "SELECT count(*) FROM alert_archive a LEFT JOIN parquet_export e"
                                + " ON e.batch = a.export_batch WHERE e.written_at IS NULL")
                        == 0);
  }

  private static long query(String jdbcUrl, String sql) throws SQLException {
    try (Connection db = DriverManager.getConnection(jdbcUrl, RealPostgres.USER, "");
        Statement statement = db.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long committed(String topic, String group) throws Exception {
    try (AdminClient admin = admin()) {
      OffsetAndMetadata offset =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get()
              .get(new TopicPartition(topic, 0));
      return offset == null ? -1 : offset.offset();
    }
  }

  private static void rewind(String topic, String group) throws Exception {
    try (AdminClient admin = admin()) {
      admin
          .alterConsumerGroupOffsets(
              group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0)))
          .all()
          .get();
    }
  }

  private static AdminClient admin() {
    return AdminClient.create(
        Map.<String, Object>of("bootstrap.servers", RealInfrastructure.get().bootstrapServers()));
  }

  private static List<String> parquetFiles() throws Exception {
    try (Stream<Path> files = Files.walk(parquet)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> parquet.relativize(f).toString())
          .sorted()
          .toList();
    }
  }
}
