package io.vigil.samples.demo;

import io.vigil.dsl.diagnostic.SourceFile;
import io.vigil.runtime.control.ControlJson;
import io.vigil.runtime.control.RuleCommand;
import io.vigil.runtime.control.RuleSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** The demo's topics, and its rules published to the control topic as the job reads them. */
final class DemoTopics {
  private static final List<String> TOPICS =
      List.of(
          "vigil.alerts",
          "vigil.rule-status",
          "vigil.late",
          "vigil.dead-letter",
          "vigil.events.payments",
          "vigil.events.logins",
          "vigil.events.readings",
          "vigil.events.maintenance");

  private DemoTopics() {}

  /** Creates the topics that do not exist yet; the control topic is compacted. */
  static void create(String bootstrap) throws InterruptedException, ExecutionException {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<NewTopic> topics = new ArrayList<>();
      topics.add(
          new NewTopic("vigil.rules", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
      TOPICS.forEach(t -> topics.add(new NewTopic(t, 2, (short) 1)));
      Map<String, ?> existing = admin.listTopics().namesToListings().get();
      topics.removeIf(t -> existing.containsKey(t.name()));
      admin.createTopics(topics).all().get();
    }
  }

  /** Publishes every stream and rule of {@code files} as version 1; returns how many. */
  static int publishRules(String bootstrap, List<Path> files)
      throws IOException, RuleSources.SyntaxException, InterruptedException, ExecutionException {
    List<SourceFile> sources = new ArrayList<>();
    for (Path p : files) {
      sources.add(new SourceFile(p.toString(), Files.readString(p)));
    }
    List<RuleCommand> commands = RuleSources.commands(sources, 1);
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (RuleCommand c : commands) {
        producer
            .send(new ProducerRecord<>("vigil.rules", c.topicKey(), ControlJson.write(c)))
            .get();
      }
    }
    return commands.size();
  }

  /** The {@code .vgl} files below {@code roots}, in name order per root. */
  static List<Path> ruleFiles(List<Path> roots) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> walk = Files.walk(root)) {
        files.addAll(walk.filter(f -> f.toString().endsWith(".vgl")).sorted().toList());
      }
    }
    return files;
  }
}
