package io.vigil.runtime.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * An alert's JSON and id are written straight from its values. The JSON is what a Jackson tree that
 * keeps decimals' scale writes; the id hashes exactly the form it always hashed (a tree that strips
 * trailing zeros), so a match has the same id across versions.
 */
class AlertJsonTest {

  @Property(tries = 250)
  void writesTheJsonOfATreeThatKeepsTheScale(@ForAll("alerts") Alert alert) {
    Statistics.collect(alert.dropped().isEmpty() ? "complete" : "dropped");
    assertThat(AlertJson.write(alert)).isEqualTo(TreeForm.write(alert));
  }

  @Property(tries = 250)
  void aWrittenAlertReadsBackToTheSameJson(@ForAll("alerts") Alert alert) {
    // Every alert has its texts (the title defaults to the rule id); a null reads back as "null".
    Assume.that(alert.severity() != null && alert.title() != null && alert.message() != null);
    String json = AlertJson.write(alert);
    assertThat(AlertJson.write(AlertJson.read(json))).isEqualTo(json);
  }

  @Property(tries = 250)
  void computesTheSameIdAsTheTree(@ForAll("alerts") Alert alert) {
    assertThat(idOf(alert, alert.events(), alert.dropped())).isEqualTo(TreeForm.alertId(alert));
  }

  /**
   * The id {@link AlertJson#alertId} gives {@code alert} with {@code events} and {@code dropped}.
   */
  private static String idOf(
      Alert alert, Map<String, List<Map<String, Object>>> events, Map<String, Integer> dropped) {
    return AlertJson.alertId(
        alert.ruleId(), alert.ruleVersion(), alert.kind(), alert.key(), events, dropped);
  }

  /**
   * Events as the encoder gives them ({@link io.vigil.compiler.event.EncodedEvent}), shared by
   * alerts and rendered once per form, write as the same maps written in place do, the first time
   * and every time after.
   */
  @Property(tries = 250)
  void sharedEncodedEventsWriteAsMapsWrittenInPlace(@ForAll("alerts") Alert alert) {
    Map<String, List<Map<String, Object>>> shared = new LinkedHashMap<>();
    alert
        .events()
        .forEach(
            (stage, events) -> {
              List<Map<String, Object>> encoded = new ArrayList<>();
              for (Map<String, Object> event : events) {
                io.vigil.compiler.event.EncodedEvent e = new io.vigil.compiler.event.EncodedEvent();
                e.putAll(event);
                encoded.add(e);
              }
              shared.put(stage, encoded);
            });
    Alert withShared =
        new Alert(
            alert.alertId(),
            alert.ruleId(),
            alert.ruleVersion(),
            alert.kind(),
            alert.severity(),
            alert.title(),
            alert.message(),
            alert.tags(),
            alert.owner(),
            alert.key(),
            alert.startTime(),
            alert.endTime(),
            alert.detectedAt(),
            shared,
            alert.dropped(),
            alert.truncated());
    for (int time = 0; time < 2; time++) {
      assertThat(AlertJson.write(withShared)).isEqualTo(AlertJson.write(alert));
      assertThat(idOf(alert, shared, Map.of())).isEqualTo(idOf(alert, alert.events(), Map.of()));
    }
  }

  @Property(tries = 250)
  void theSizeBoundIsNeverBelowTheSize(@ForAll("alerts") Alert alert) {
    long bound = AlertFitting.upperBound(alert);
    // Values of types the tree writes (floats, shorts) leave the alert without a bound.
    Statistics.label("bounded").collect(bound < 1_000_000_000L);
    Statistics.label("bounded").coverage(c -> c.check(true).percentage(p -> p > 20.0));
    assertThat(bound).isGreaterThanOrEqualTo(AlertFitting.size(alert));
  }

  @Test
  void decimalsKeepTheirScaleAndIdsTheFormTheyWereComputedOn() {
    Alert alert =
        alert(
            Map.of("card", "c-1"),
            Map.of(
                "big",
                List.of(
                    Map.of(
                        "amount",
                        new BigDecimal("100.0"),
                        "ratio",
                        0.1,
                        "count",
                        12L,
                        "zero",
                        new BigDecimal("0.000")))),
            Map.of());
    assertThat(AlertJson.write(alert))
        .contains("\"amount\":100.0")
        .contains("\"ratio\":0.1")
        .contains("\"count\":12")
        .contains("\"zero\":0.000");
    Alert stripped =
        alert(
            Map.of("card", "c-1"),
            Map.of(
                "big",
                List.of(
                    Map.of(
                        "amount",
                        new BigDecimal("1E+2"),
                        "ratio",
                        new BigDecimal("0.1"),
                        "count",
                        12L,
                        "zero",
                        BigDecimal.ZERO))),
            Map.of());
    assertThat(id(alert)).isEqualTo(id(stripped));
  }

  private static String id(Alert alert) {
    return AlertJson.alertId(
        alert.ruleId(),
        alert.ruleVersion(),
        alert.kind(),
        alert.key(),
        alert.events(),
        alert.dropped());
  }

  @Test
  void aWrittenAlertReadsBackUnchanged() {
    Alert alert =
        alert(
            Map.of("card", "c-\u00e9\"\n"),
            Map.of("a", List.of(Map.of("amount", new BigDecimal("12.5"), "ok", true))),
            Map.of("a", 3));
    Alert back = AlertJson.read(AlertJson.write(alert));
    assertThat(AlertJson.write(back)).isEqualTo(AlertJson.write(alert));
    assertThat(back.key()).isEqualTo(alert.key());
    assertThat(back.dropped()).isEqualTo(alert.dropped());
  }

  private static Alert alert(
      Map<String, Object> key,
      Map<String, List<Map<String, Object>>> events,
      Map<String, Integer> dropped) {
    return new Alert(
        "0123456789abcdef0123456789abcdef",
        "rule-1",
        3,
        Alert.Kind.MATCH,
        "high",
        "title",
        "message",
        List.of("fraud"),
        Optional.empty(),
        key,
        1_700_000_000_000L,
        1_700_000_060_000L,
        1_700_000_061_000L,
        events,
        dropped,
        false);
  }

  @Provide
  Arbitrary<Alert> alerts() {
    Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(12).injectNull(0.05);
    Arbitrary<Map<String, Object>> key = Arbitraries.maps(names(), scalars()).ofMaxSize(3);
    Arbitrary<Map<String, Object>> event =
        Arbitraries.maps(names(), Arbitraries.oneOf(scalars(), nested())).ofMaxSize(5);
    Arbitrary<Map<String, List<Map<String, Object>>>> events =
        Arbitraries.maps(names(), event.list().ofMaxSize(4)).ofMaxSize(3);
    Arbitrary<Map<String, Integer>> dropped =
        Arbitraries.maps(names(), Arbitraries.integers().between(1, 10_000)).ofMaxSize(2);
    Arbitrary<List<String>> tags = Arbitraries.strings().all().ofMaxLength(8).list().ofMaxSize(3);
    Arbitrary<Alert> partial =
        Combinators.combine(text, text, text, tags, key, events, dropped)
            .as(
                (severity, title, message, tagList, k, e, d) ->
                    new Alert(
                        "id",
                        "rule",
                        7,
                        Alert.Kind.MATCH,
                        severity,
                        title,
                        message,
                        tagList,
                        Optional.ofNullable(title),
                        k,
                        0L,
                        Long.MAX_VALUE / 2,
                        -1L,
                        e,
                        d,
                        false));
    Arbitrary<Long> times = Arbitraries.longs().between(-62_135_596_800_000L, 253_402_300_799_000L);
    return Combinators.combine(
            partial, times, times, Arbitraries.of(Alert.Kind.class), Arbitraries.of(true, false))
        .as(
            (a, start, detected, kind, truncated) ->
                new Alert(
                    a.alertId(),
                    a.ruleId(),
                    a.ruleVersion(),
                    kind,
                    a.severity(),
                    a.title(),
                    a.message(),
                    a.tags(),
                    a.owner(),
                    a.key(),
                    start,
                    start,
                    detected,
                    a.events(),
                    a.dropped(),
                    truncated));
  }

  private static Arbitrary<String> names() {
    return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(6);
  }

  private static Arbitrary<Object> nested() {
    return Arbitraries.oneOf(
        Arbitraries.maps(names(), scalars()).ofMaxSize(3).map(m -> (Object) new LinkedHashMap<>(m)),
        scalars().list().ofMaxSize(3).map(l -> (Object) new ArrayList<>(l)));
  }

  private static Arbitrary<Object> scalars() {
    Arbitrary<BigDecimal> decimals =
        Combinators.combine(
                Arbitraries.bigIntegers()
                    .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)),
                Arbitraries.integers().between(-12, 20))
            .as(BigDecimal::new);
    Arbitrary<Double> doubles =
        Arbitraries.oneOf(
            Arbitraries.doubles(),
            Arbitraries.of(
                0.0,
                -0.0,
                1e10,
                1e-10,
                100.0,
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.MIN_VALUE,
                Double.MAX_VALUE));
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(10).map(s -> (Object) s),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.integers().map(i -> (Object) i),
        decimals.map(d -> (Object) d),
        doubles.map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.bigIntegers().map(b -> (Object) b),
        Arbitraries.floats().map(f -> (Object) f),
        Arbitraries.shorts().map(s -> (Object) s));
  }

  /** The alert's JSON and id computed through a Jackson tree: the reference. */
  private static final class TreeForm {

    private static final ObjectMapper MAPPER =
        new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private static final ObjectMapper ID_MAPPER =
        new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static String write(Alert alert) {
      ObjectNode node = MAPPER.createObjectNode();
      node.put("alertId", alert.alertId());
      node.put("ruleId", alert.ruleId());
      node.put("ruleVersion", alert.ruleVersion());
      node.put("kind", alert.kind().name());
      node.put("severity", alert.severity());
      node.put("title", alert.title());
      node.put("message", alert.message());
      ArrayNode tags = node.putArray("tags");
      alert.tags().forEach(tags::add);
      if (alert.owner().isPresent()) {
        node.put("owner", alert.owner().get());
      } else {
        node.putNull("owner");
      }
      node.set("key", MAPPER.valueToTree(alert.key()));
      node.put("startTime", Instant.ofEpochMilli(alert.startTime()).toString());
      node.put("endTime", Instant.ofEpochMilli(alert.endTime()).toString());
      node.put("detectedAt", Instant.ofEpochMilli(alert.detectedAt()).toString());
      node.set("events", MAPPER.valueToTree(alert.events()));
      node.set("dropped", MAPPER.valueToTree(alert.dropped()));
      node.put("truncated", alert.truncated());
      return node.toString();
    }

    static String alertId(Alert alert) {
      ObjectNode canonical = ID_MAPPER.createObjectNode();
      canonical.put("r", alert.ruleId());
      canonical.put("v", alert.ruleVersion());
      canonical.put("k", alert.kind().name());
      canonical.set("key", ID_MAPPER.valueToTree(alert.key()));
      canonical.set("e", ID_MAPPER.valueToTree(alert.events()));
      if (!alert.dropped().isEmpty()) {
        canonical.set("d", ID_MAPPER.valueToTree(alert.dropped()));
      }
      try {
        byte[] hash =
            MessageDigest.getInstance("SHA-256")
                .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, 16);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
