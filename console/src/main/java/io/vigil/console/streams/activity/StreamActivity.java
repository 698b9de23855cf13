package io.vigil.console.streams.activity;

import io.vigil.console.rules.deploy.KafkaProperties;
import io.vigil.console.streams.StreamDeclarations;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Samples the job's event topics and its dead-letter topic in the background: each stream's event
 * rate from the growth of its topic's end offsets (one admin request per sample, whatever the
 * traffic: no events are read), and the newest dead letters, read again only when the dead-letter
 * topic grew. Pages read the last sample and never wait for Kafka.
 */
@Component
public class StreamActivity {
  private static final Logger LOG = LoggerFactory.getLogger(StreamActivity.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final StreamActivityProperties properties;
  private final String eventsTopicPrefix;
  private final StreamDeclarations streams;
  private final JsonMapper json;
  private final Clock clock;
  private final Admin admin;
  private final KafkaConsumer<String, String> deadLetterReader;
  private final AtomicReference<ActivitySnapshot> snapshot =
      new AtomicReference<>(ActivitySnapshot.none());
  private final RateHistory history = new RateHistory();
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "vigil-console-stream-activity");
            t.setDaemon(true);
            return t;
          });

  /** End offsets per topic at the previous sample, and when it was taken. */
  private Map<String, Long> previousEnds = Map.of();

  private Instant previousAt = Instant.EPOCH;
  private long deadLetterEnd = -1;

  StreamActivity(
      StreamActivityProperties properties,
      KafkaProperties kafka,
      StreamDeclarations streams,
      JsonMapper json,
      Clock clock) {
    this.properties = properties;
    this.eventsTopicPrefix = kafka.eventsTopicPrefix();
    this.streams = streams;
    this.json = json;
    this.clock = clock;
    this.admin =
        Admin.create(
            kafka.clientConfig(
                Map.of(
                    AdminClientConfig.CLIENT_ID_CONFIG,
                    "vigil-console-stream-activity",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    (int) CALL_TIMEOUT.toMillis(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    (int) CALL_TIMEOUT.toMillis())));
    this.deadLetterReader =
        new KafkaConsumer<>(
            kafka.clientConfig(
                Map.of(
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    "vigil-console-dead-letters",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed")),
            new StringDeserializer(),
            new StringDeserializer());
    long every = properties.sampleInterval().toMillis();
    sampler.scheduleWithFixedDelay(this::sampleQuietly, 0, every, TimeUnit.MILLISECONDS);
  }

  public ActivitySnapshot snapshot() {
    return snapshot.get();
  }

  /** The streams' rates over the last hour, one point per sample (the streams page's chart). */
  public RateChart rateChart() {
    return history.chart();
  }

  /** Takes a sample now (the background sampler takes one every interval). */
  public synchronized ActivitySnapshot sample() {
    try {
      Instant now = clock.instant();
      Map<String, String> topicOfStream = topics();
      Set<String> topics = new TreeSet<>(topicOfStream.values());
      topics.add(properties.deadLetterTopic());
      Map<String, Long> ends = endOffsets(topics);
      Map<String, StreamRate> rates = new HashMap<>();
      Duration window =
          previousAt.equals(Instant.EPOCH) ? Duration.ZERO : Duration.between(previousAt, now);
      topicOfStream.forEach(
          (stream, topic) -> {
            Long end = ends.get(topic);
            if (end != null) {
              Long before = previousEnds.get(topic);
              rates.put(
                  stream,
                  new StreamRate(
                      stream,
                      topic,
                      end,
                      before == null ? 0 : Math.max(0, end - before),
                      before == null ? Duration.ZERO : window));
            }
          });
      previousEnds = ends;
      previousAt = now;
      history.add(now, rates);
      ActivitySnapshot old = snapshot.get();
      long dltEnd = ends.getOrDefault(properties.deadLetterTopic(), 0L);
      List<DeadLetter> letters = old.deadLetters();
      long count = old.deadLetterCount();
      if (dltEnd != deadLetterEnd) {
        letters = newestDeadLetters();
        count = dltEnd;
        deadLetterEnd = dltEnd;
      }
      ActivitySnapshot taken =
          new ActivitySnapshot(rates, letters, count, Optional.of(now), Optional.empty());
      snapshot.set(taken);
      return taken;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot read the job's topics: " + (e.getCause() == null ? e : e.getCause()).getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      ActivitySnapshot old = snapshot.get();
      snapshot.set(
          new ActivitySnapshot(
              old.rates(),
              old.deadLetters(),
              old.deadLetterCount(),
              old.sampledAt(),
              Optional.of(String.valueOf(e.getMessage()))));
      LOG.warn("cannot sample the job's topics: {}", e.getMessage());
    }
  }

  /** Declared streams and every existing event topic, by stream name. */
  private Map<String, String> topics()
      throws ExecutionException, InterruptedException, TimeoutException {
    String prefix = eventsTopicPrefix;
    Map<String, String> byStream = new HashMap<>();
    for (String topic :
        admin.listTopics().names().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      if (topic.startsWith(prefix) && topic.length() > prefix.length()) {
        byStream.put(topic.substring(prefix.length()), topic);
      }
    }
    for (String declared : streams.names()) {
      byStream.putIfAbsent(declared, prefix + declared);
    }
    return byStream;
  }

  /** The sum of each existing topic's partitions' end offsets; a missing topic is left out. */
  private Map<String, Long> endOffsets(Set<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    Set<String> existing =
        admin.listTopics().names().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    List<String> present = topics.stream().filter(existing::contains).toList();
    if (present.isEmpty()) {
      return Map.of();
    }
    Map<String, TopicDescription> described =
        admin
            .describeTopics(present)
            .allTopicNames()
            .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    described.forEach(
        (topic, d) ->
            d.partitions()
                .forEach(
                    p ->
                        request.put(
                            new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
    Map<String, Long> ends = new HashMap<>();
    admin
        .listOffsets(request)
        .all()
        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .forEach((tp, info) -> ends.merge(tp.topic(), info.offset(), Long::sum));
    return ends;
  }

  /** Reads up to the last N records of every dead-letter partition; the newest N overall. */
  private List<DeadLetter> newestDeadLetters() {
    int n = properties.deadLetters();
    List<TopicPartition> partitions =
        deadLetterReader.partitionsFor(properties.deadLetterTopic(), CALL_TIMEOUT).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      return List.of();
    }
    deadLetterReader.assign(partitions);
    Map<TopicPartition, Long> begin = deadLetterReader.beginningOffsets(partitions, CALL_TIMEOUT);
    Map<TopicPartition, Long> end = deadLetterReader.endOffsets(partitions, CALL_TIMEOUT);
    for (TopicPartition p : partitions) {
      deadLetterReader.seek(p, Math.max(begin.get(p), end.get(p) - n));
    }
    List<DeadLetter> letters = new ArrayList<>();
    Instant deadline = Instant.now().plus(CALL_TIMEOUT);
    while (partitions.stream().anyMatch(p -> deadLetterReader.position(p) < end.get(p))
        && Instant.now().isBefore(deadline)) {
      for (ConsumerRecord<String, String> record : deadLetterReader.poll(Duration.ofMillis(200))) {
        letters.add(parse(record));
      }
    }
    return letters.stream()
        .sorted(Comparator.comparing(DeadLetter::at).reversed())
        .limit(n)
        .toList();
  }

  private DeadLetter parse(ConsumerRecord<String, String> record) {
    String origin = record.topic() + "/" + record.partition() + "@" + record.offset();
    try {
      JsonNode node = json.readTree(record.value() == null ? "{}" : record.value());
      JsonNode source = node.path("source");
      String payload = node.path("payload").asString("");
      return new DeadLetter(
          at(node.path("at").asString(""), record.timestamp()),
          node.path("stream").asString(""),
          node.path("reason").asString("(no reason)"),
          payload.length() > DeadLetter.PAYLOAD_SHOWN
              ? payload.substring(0, DeadLetter.PAYLOAD_SHOWN) + "…"
              : payload,
          source.isMissingNode()
              ? origin
              : source.path("topic").asString("")
                  + "/"
                  + source.path("partition").asInt()
                  + "@"
                  + source.path("offset").asLong());
    } catch (JacksonException e) {
      return new DeadLetter(
          Instant.ofEpochMilli(record.timestamp()), "", "not a dead-letter record", "", origin);
    }
  }

  private static Instant at(String text, long fallbackMillis) {
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      return Instant.ofEpochMilli(fallbackMillis);
    }
  }

  @PreDestroy
  void close() {
    sampler.shutdownNow();
    try {
      sampler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(2));
    synchronized (this) {
      deadLetterReader.close(Duration.ofSeconds(2));
    }
  }
}
