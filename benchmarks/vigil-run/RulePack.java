import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a rule pack of five rule families and a JSON Lines events file for {@code vigil run}
 * (run with {@code java RulePack.java OUT_DIR RULES_PER_FAMILY EVENTS [SEED] [WINDOWS]}; see
 * README.md).
 *
 * <p>Families (each one shape, thresholds per rule): declines (relaxed {@code {3}} declines, skip
 * none, then an approved payment above T within 10m), travel (two payments above T in different
 * countries within 1h: a cross-stage comparison), overheating (two consecutive readings above T and
 * no maintenance within 15m: two streams, the alert-heavy family), takeover (a login, then a payment
 * above T from another country, across two streams, within 30m), vibration (readings above V {3,}
 * consecutive, then a calm one, within 30m). Thresholds give about one alert per twenty events.
 * With WINDOWS {@code own} every rule's window is its family's plus the rule's number (1, 2, … in
 * the order of the file) in seconds: no two rules share a window.
 * Keys are Zipf(0.9) over 100 000 cards (accounts) and 10 000 devices. Also writes {@code never.vgl}: one
 * rule that never starts (the decode-and-route baseline).
 */
public final class RulePack {

  static final int CARDS = 100_000;
  static final int DEVICES = 10_000;
  static final int DECLINED_PER_MILLE = Integer.getInteger("declinedPerMille", 10);
  static final long START = Instant.parse("2026-11-25T09:00:00Z").toEpochMilli();
  static final String[] COUNTRIES = {"DE", "FR", "ES", "IT", "NL", "PL", "BE", "AT", "PT", "SE"};

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    int perFamily = Integer.parseInt(args[1]);
    int events = Integer.parseInt(args[2]);
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 42L;
    boolean ownWindows = args.length > 4 && args[4].equals("own");
    Files.createDirectories(out.resolve("pack"));
    Files.createDirectories(out.resolve("never"));
    Files.writeString(out.resolve("pack/streams.vgl"), STREAMS);
    Files.writeString(out.resolve("never/streams.vgl"), STREAMS);
    Files.writeString(out.resolve("pack/rules.vgl"), rules(perFamily, ownWindows));
    Files.writeString(
        out.resolve("never/rules.vgl"),
        """
        rule never
          severity low
          from payments
          partition by cardId
          pattern
            a: amount < 0
          alert "never"
        """);
    writeEvents(out.resolve("events.jsonl"), events, new SplittableRandom(seed));
  }

  static String rules(int perFamily, boolean ownWindows) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < perFamily; i++) {
      // Thresholds spread over each value's range: a few rules fire often, most rarely.
      int approved = 800 + 20 * i;
      b.append(
          """
          rule declines_%1$d
            severity high
            partition by cardId
            pattern
              d: payments(status == "DECLINED") {3}
              then ok: payments(status == "APPROVED" and amount > %2$d)
            within %3$s
            skip none
            alert "Card {cardId}: three declines then {ok.amount}"

          """
              .formatted(i, approved, within("10m", 600, ownWindows, 5 * i + 1)));
      int large = 1100 + 4 * i;
      b.append(
          """
          rule travel_%1$d
            severity high
            from payments
            partition by cardId
            pattern
              a: amount > %2$d
              then b: amount > %2$d and country != a.country
            within %3$s
            skip past last event
            alert "Card {cardId}: {a.amount} in {a.country} then {b.amount} in {b.country}"

          """
              .formatted(i, large, within("1h", 3600, ownWindows, 5 * i + 2)));
      int hot = 83 + i;
      b.append(
          """
          rule overheating_%1$d
            severity critical
            partition by deviceId
            pattern
              hot: readings(temperature > %2$d) {2} consecutive
              then not ack: maintenance(action == "ACK")
            within %3$s
            alert "Device {deviceId}: {count(hot)} readings above %2$d, no ack"

          """
              .formatted(i, hot, within("15m", 900, ownWindows, 5 * i + 3)));
      int spend = 1150 + 2 * i;
      b.append(
          """
          rule takeover_%1$d
            severity critical
            partition by accountId
            pattern
              l: logins(success)
              then p: payments(amount > %2$d and country != l.country)
            within %3$s
            skip past last event
            alert "Account {accountId}: login from {l.country}, then {p.amount} in {p.country}"

          """
              .formatted(i, spend, within("30m", 1800, ownWindows, 5 * i + 4)));
      String vibration = String.format(Locale.ROOT, "%.2f", 4.0 + 0.04 * i);
      b.append(
          """
          rule vibration_%1$d
            severity low
            from readings
            partition by deviceId
            pattern
              rise: vibration > %2$s {3,} consecutive
              next calm: vibration < 1.0
            within %3$s
            skip past last event
            alert "Device {deviceId}: {count(rise)} readings above %2$s"

          """
              .formatted(i, vibration, within("30m", 1800, ownWindows, 5 * i + 5)));
    }
    return b.toString();
  }

  /** The family's window, or with own windows that plus the rule's number in seconds. */
  static String within(String family, int familySeconds, boolean own, int number) {
    return own ? (familySeconds + number) + "s" : family;
  }

  static void writeEvents(Path file, int count, SplittableRandom random) throws IOException {
    Zipf cards = new Zipf(CARDS, 0.9);
    Zipf devices = new Zipf(DEVICES, 0.9);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      long ts = START;
      for (int n = 0; n < count; n++) {
        ts += random.nextInt(21); // 10 ms apart on average: 500k events span ~83 minutes
        int kind = random.nextInt(100);
        if (kind < 55) {
          int card = cards.next(random);
          String country = random.nextInt(100) < 5 ? country(random) : COUNTRIES[card % 10];
          String status = random.nextInt(1000) < DECLINED_PER_MILLE ? "DECLINED" : "APPROVED";
          String amount = String.format(Locale.ROOT, "%.2f", random.nextDouble() * 1200);
          w.write(
              "{\"stream\":\"payments\",\"event\":{\"eventId\":\"p-%d\",\"cardId\":\"card-%d\",\"accountId\":\"acct-%d\",\"amount\":%s,\"currency\":\"EUR\",\"merchant\":\"m-%d\",\"country\":\"%s\",\"status\":\"%s\",\"channel\":\"%s\",\"ts\":\"%s\"}}\n"
                  .formatted(
                      n,
                      card,
                      card,
                      amount,
                      random.nextInt(200),
                      country,
                      status,
                      random.nextBoolean() ? "POS" : "WEB",
                      Instant.ofEpochMilli(ts)));
        } else if (kind < 65) {
          int card = cards.next(random);
          String country = random.nextInt(100) < 10 ? country(random) : COUNTRIES[card % 10];
          w.write(
              "{\"stream\":\"logins\",\"event\":{\"eventId\":\"l-%d\",\"accountId\":\"acct-%d\",\"country\":\"%s\",\"success\":%b,\"ts\":\"%s\"}}\n"
                  .formatted(
                      n, card, country, random.nextInt(100) < 90, Instant.ofEpochMilli(ts)));
        } else if (kind < 98) {
          int device = devices.next(random);
          w.write(
              "{\"stream\":\"readings\",\"event\":{\"eventId\":\"r-%d\",\"deviceId\":\"dev-%d\",\"site\":\"site-%d\",\"temperature\":%s,\"vibration\":%s,\"ts\":%d}}\n"
                  .formatted(
                      n,
                      device,
                      device % 100,
                      String.format(Locale.ROOT, "%.1f", 15 + random.nextDouble() * 85),
                      String.format(Locale.ROOT, "%.2f", random.nextDouble() * 5),
                      ts));
        } else {
          int device = devices.next(random);
          w.write(
              "{\"stream\":\"maintenance\",\"event\":{\"eventId\":\"m-%d\",\"deviceId\":\"dev-%d\",\"action\":\"%s\",\"tech\":\"t-%d\",\"ts\":%d}}\n"
                  .formatted(
                      n,
                      device,
                      random.nextBoolean() ? "ACK" : "CHECK",
                      random.nextInt(50),
                      ts));
        }
      }
    }
  }

  static String country(SplittableRandom random) {
    return COUNTRIES[random.nextInt(COUNTRIES.length)];
  }

  /** Zipf(s) over 0..n-1 by inverting the cumulative distribution (a binary search). */
  static final class Zipf {
    private final double[] cumulative;

    Zipf(int n, double s) {
      cumulative = new double[n];
      double sum = 0;
      for (int k = 0; k < n; k++) {
        sum += 1 / Math.pow(k + 1, s);
        cumulative[k] = sum;
      }
      for (int k = 0; k < n; k++) {
        cumulative[k] /= sum;
      }
    }

    int next(SplittableRandom random) {
      double u = random.nextDouble();
      int lo = 0;
      int hi = cumulative.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }

  static final String STREAMS =
      """
      stream payments
        time ts
        lateness 5s
        fields
          eventId: string
          cardId: string
          accountId: string
          amount: decimal
          currency: string
          merchant: string
          country: string
          status: string
          channel: string
          ts: timestamp

      stream logins
        time ts
        lateness 5s
        fields
          eventId: string
          accountId: string
          country: string
          success: boolean
          ts: timestamp

      stream readings
        time ts
        lateness 10s
        fields
          eventId: string
          deviceId: string
          site: string
          temperature: double
          vibration: double
          ts: timestamp

      stream maintenance
        time ts
        lateness 10s
        fields
          eventId: string
          deviceId: string
          action: string
          tech: string
          ts: timestamp
      """;
}
