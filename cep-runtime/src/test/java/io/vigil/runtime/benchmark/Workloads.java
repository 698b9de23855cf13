package io.vigil.runtime.benchmark;

import io.vigil.compiler.event.Event;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The two synthetic workloads of the runtime benchmark: card payments (fraud rules) and sensor
 * readings (IoT rules). Rules are generated from the sample rules' shapes with varied constants (a
 * merchant or site, thresholds), so that, like a real rule set, most rules start nothing on most
 * events. Keys follow Zipf(1) over {@code keys} (drawn log-uniformly: a few hot keys, a long tail).
 */
final class Workloads {

  private Workloads() {}

  static final int MERCHANTS = 200;
  static final int SITES = 100;
  static final String[] COUNTRIES = {
    "FR", "DE", "US", "ES", "NL", "IT", "GB", "PL", "BE", "PT", "SE", "NO", "DK", "FI", "IE", "AT",
    "CH", "CZ", "GR", "RO"
  };

  /** A workload: its rule set and its event generator. */
  interface Workload extends Serializable {
    String name();

    String stream();

    String rules(int n);

    /** Event {@code i}; {@code ts} its event time. */
    Event event(long i, long ts, int keys);

    /** The key index of event {@code i} (to count the keys that have state). */
    int key(long i, int keys);
  }

  static Workload named(String name) {
    return switch (name) {
      case "fraud" -> new Fraud();
      case "iot" -> new Iot();
      default -> throw new IllegalArgumentException("workload fraud or iot: " + name);
    };
  }

  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /** Zipf(1) over {@code keys}: log-uniform, key 0 is the hottest. */
  static int zipfKey(long i, int keys) {
    double u = (mix(i) >>> 11) * 0x1.0p-53;
    return (int) Math.floor(Math.exp(u * Math.log(keys + 1.0))) - 1;
  }

  /** A merchant or site index per rule, spread over the range (varied constants). */
  static int spread(int rule, int range) {
    return (int) Math.floorMod(mix(rule + 1_000_003L), range);
  }

  /**
   * Payments: amounts uniform in 0–1200.00, 200 merchants, 20 countries (a card abroad 2 % of the
   * time), 3 % declined, half on the web. Four rule shapes after the samples (impossible travel,
   * card testing, split purchases, a declined burst), each tied to one merchant or country with its
   * own threshold.
   */
  static final class Fraud implements Workload {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
      return "fraud";
    }

    @Override
    public String stream() {
      return "payments";
    }

    @Override
    public int key(long i, int keys) {
      return zipfKey(i, keys);
    }

    @Override
    public String rules(int n) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < n; i++) {
        String merchant = "m" + spread(i, MERCHANTS);
        int threshold = 600 + (i * 37) % 600;
        String country = COUNTRIES[spread(i, COUNTRIES.length)];
        String body =
            switch (i % 4) {
              case 0 ->
                  """
                  from payments
                  partition by cardId
                  pattern
                    a: merchant == "%s" and channel == "POS"
                    next b: channel == "POS" and country != a.country
                  within 1h
                  """
                      .formatted(merchant);
              case 1 ->
                  """
                  from payments
                  partition by cardId
                  pattern
                    small: merchant == "%s" and amount < 3.00 {2,} consecutive
                    then big: amount > %d
                  within 10m
                  skip past last event
                  """
                      .formatted(merchant, threshold);
              case 2 ->
                  """
                  from payments
                  partition by cardId
                  pattern
                    a: merchant == "%s" and amount > %d and amount < %d
                    then b: amount > %d and amount < %d and merchant == a.merchant
                  within 1h
                  skip to next
                  """
                      .formatted(merchant, threshold, threshold + 100, threshold, threshold + 100);
              default ->
                  """
                  from payments
                  partition by cardId
                  pattern
                    d: status == "DECLINED" and country == "%s" {3} consecutive
                  within 10m
                  """
                      .formatted(country);
            };
        out.append("rule f")
            .append(i)
            .append("\n  severity low\n")
            .append(body.indent(2))
            .append("  alert \"f")
            .append(i)
            .append(" {cardId}\"\n\n");
      }
      return out.toString();
    }

    @Override
    public Event event(long i, long ts, int keys) {
      int card = zipfKey(i, keys);
      long h = mix(mix(i) + 0x9e3779b97f4a7c15L);
      return new Event(
          "payments",
          ts,
          new Object[] {
            "p" + i,
            "card-" + card,
            "acct-" + card,
            BigDecimal.valueOf(Math.floorMod(h, 120_000), 2),
            "EUR",
            "m" + Math.floorMod(h >>> 17, MERCHANTS),
            // A card is used in its home country, abroad 2 % of the time.
            COUNTRIES[
                Math.floorMod(h >>> 27, 100) < 2
                    ? (int) Math.floorMod(h >>> 33, COUNTRIES.length)
                    : card % COUNTRIES.length],
            Math.floorMod(h >>> 37, 100) < 3 ? "DECLINED" : "APPROVED",
            ((h >>> 45) & 1) == 0 ? "WEB" : "POS",
            ts
          });
    }
  }

  /**
   * Readings: temperature uniform in 15–100, vibration uniform in 0–5, device d at site d mod 100.
   * Four shapes after the IoT samples (overheating, flapping, vibration burst with {@code having},
   * heat then vibration, half of them with a timeout alert), each tied to one site with its own
   * thresholds.
   */
  static final class Iot implements Workload {
    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
      return "iot";
    }

    @Override
    public String stream() {
      return "readings";
    }

    @Override
    public int key(long i, int keys) {
      return zipfKey(i, keys);
    }

    @Override
    public String rules(int n) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < n; i++) {
        String site = "s" + spread(i, SITES);
        int hot = 85 + (i * 7) % 14;
        // Decimal text without the default locale's separator.
        String vibration = BigDecimal.valueOf(30 + i % 10, 1).toPlainString();
        String calmer = BigDecimal.valueOf(33 + i % 10, 1).toPlainString();
        String shake = BigDecimal.valueOf(45 + i % 5, 1).toPlainString();
        String body =
            switch (i % 4) {
              case 0 ->
                  """
                  pattern
                    hot: site == "%s" and temperature > %d {3} consecutive
                  within 15m
                  alert "d{deviceId} hot"
                  """
                      .formatted(site, hot);
              case 1 ->
                  """
                  pattern
                    hi: site == "%s" and temperature > %d
                    next lo: temperature < 16
                  within 10m
                  skip past last event
                  alert "d{deviceId} flapping"
                  """
                      .formatted(site, hot);
              case 2 ->
                  """
                  pattern
                    rise: site == "%s" and vibration > %s {3,} consecutive
                    next calm: vibration < 1.0
                  within 30m
                  skip past last event
                  having avg(rise.vibration) > %s
                  alert "d{deviceId} vibration"
                  """
                      .formatted(site, vibration, calmer);
              default ->
                  """
                  pattern
                    heat: site == "%s" and temperature > %d
                    then shake: vibration > %s
                  within 5m
                  alert "d{deviceId} heat then vibration"
                  """
                          .formatted(site, 96 + i % 4, shake)
                      // Every other one also reports the heat that no vibration followed.
                      + (i % 8 == 3 ? "on timeout alert \"d{deviceId} heat, no vibration\"\n" : "");
            };
        out.append("rule i")
            .append(i)
            .append("\n  severity low\n  from readings\n  partition by deviceId\n")
            .append(body.indent(2))
            .append('\n');
      }
      return out.toString();
    }

    @Override
    public Event event(long i, long ts, int keys) {
      int device = zipfKey(i, keys);
      long h = mix(mix(i) + 0x9e3779b97f4a7c15L);
      return new Event(
          "readings",
          ts,
          new Object[] {
            "r" + i,
            "dev-" + device,
            "s" + device % SITES,
            15.0 + Math.floorMod(h, 8_500) / 100.0,
            Math.floorMod(h >>> 20, 500) / 100.0,
            ts
          });
    }
  }
}
