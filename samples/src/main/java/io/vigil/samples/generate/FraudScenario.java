package io.vigil.samples.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Payments and logins of ordinary cardholders, with planted fraud that the sample fraud rules must
 * find: card testing, account takeover, impossible travel and split purchases. Ordinary traffic is
 * shaped so that it never matches a sample rule by accident (amounts between 5 and 300,
 * card-present payments always in the card's home country, at most two failed logins in a row).
 */
public final class FraudScenario {

  /** How much to generate; {@code planted} is the number of each kind of fraud. */
  public record Config(Instant start, int cards, int payments, int planted, long seed) {
    public static Config demo() {
      return new Config(Instant.parse("2026-11-25T09:00:00Z"), 40, 600, 2, 7);
    }
  }

  private static final List<String> COUNTRIES = List.of("FR", "DE", "ES", "IT", "NL", "GB");
  private static final List<String> MERCHANTS =
      List.of("Cafe Lumiere", "BookNook", "MegaMart", "FuelStop", "TechHub", "Le Bistro");

  private FraudScenario() {}

  public static List<GeneratedEvent> generate(Config config) {
    return labelled(config).events();
  }

  /** The events and the labels of the fraud planted in them. */
  public static Scenario labelled(Config config) {
    Random random = new Random(config.seed());
    Timeline t = new Timeline(random);
    Duration span = Duration.ofHours(1);
    for (int i = 0; i < config.payments(); i++) {
      int card = random.nextInt(config.cards());
      Instant at = config.start().plusMillis((long) (random.nextDouble() * span.toMillis()));
      boolean pos = random.nextBoolean();
      payment(
          t,
          at,
          "card-" + card,
          "acct-" + card,
          money(5 + random.nextDouble() * 295),
          pos ? home(card) : COUNTRIES.get(random.nextInt(COUNTRIES.size())),
          MERCHANTS.get(random.nextInt(MERCHANTS.size())),
          random.nextInt(20) == 0 ? "DECLINED" : "APPROVED",
          pos ? "POS" : "ONLINE");
    }
    for (int i = 0; i < config.cards(); i++) {
      for (int k = 0; k < 3; k++) {
        Instant at = config.start().plusMillis((long) (random.nextDouble() * span.toMillis()));
        login(t, at, "acct-" + i, home(i), random.nextInt(4) != 0);
      }
    }
    for (int p = 0; p < config.planted(); p++) {
      Instant at = config.start().plus(Duration.ofMinutes(5 + 12L * p));
      plantCardTesting(t, at, "card-testing-" + p);
      plantAccountTakeover(t, at.plusSeconds(30), "acct-takeover-" + p);
      plantImpossibleTravel(t, at.plusSeconds(60), "card-travel-" + p);
      plantSplitPurchases(t, at.plusSeconds(90), "card-split-" + p);
    }
    return new Scenario(t.events(Duration.ofSeconds(2)), t.incidents());
  }

  private static void plantCardTesting(Timeline t, Instant at, String card) {
    t.plant("card_testing", "cardId", card, at, at.plusSeconds(150));
    for (int i = 0; i < 4; i++) {
      payment(
          t,
          at.plusSeconds(20L * i),
          card,
          "acct-" + card,
          money(0.5 + i * 0.3),
          "FR",
          "QuickDonate",
          "APPROVED",
          "ONLINE");
    }
    payment(
        t,
        at.plusSeconds(150),
        card,
        "acct-" + card,
        money(899),
        "FR",
        "TechHub",
        "APPROVED",
        "ONLINE");
  }

  private static void plantAccountTakeover(Timeline t, Instant at, String account) {
    t.plant("account_takeover", "accountId", account, at, at.plusSeconds(300));
    for (int i = 0; i < 6; i++) {
      login(t, at.plusSeconds(10L * i), account, "FR", false);
    }
    login(t, at.plusSeconds(90), account, "RU", true);
    payment(
        t,
        at.plusSeconds(300),
        "card-" + account,
        account,
        money(2400),
        "RU",
        "LuxWatches",
        "APPROVED",
        "ONLINE");
  }

  private static void plantImpossibleTravel(Timeline t, Instant at, String card) {
    t.plant("impossible_travel", "cardId", card, at, at.plusSeconds(600));
    payment(t, at, card, "acct-" + card, money(42), "FR", "Le Bistro", "APPROVED", "POS");
    payment(
        t,
        at.plusSeconds(600),
        card,
        "acct-" + card,
        money(55),
        "JP",
        "Tokyo Ramen",
        "APPROVED",
        "POS");
  }

  private static void plantSplitPurchases(Timeline t, Instant at, String card) {
    t.plant("split_purchases", "cardId", card, at, at.plusSeconds(240));
    payment(t, at, card, "acct-" + card, money(949.99), "DE", "TechHub", "APPROVED", "ONLINE");
    payment(
        t,
        at.plusSeconds(240),
        card,
        "acct-" + card,
        money(979.50),
        "DE",
        "TechHub",
        "APPROVED",
        "ONLINE");
  }

  private static void payment(
      Timeline t,
      Instant at,
      String card,
      String account,
      BigDecimal amount,
      String country,
      String merchant,
      String status,
      String channel) {
    t.add(
        "payments",
        at,
        "cardId",
        card,
        "accountId",
        account,
        "amount",
        amount,
        "currency",
        "EUR",
        "merchant",
        merchant,
        "country",
        country,
        "status",
        status,
        "channel",
        channel);
  }

  private static void login(
      Timeline t, Instant at, String account, String country, boolean success) {
    t.add("logins", at, "accountId", account, "country", country, "success", success);
  }

  private static String home(int card) {
    return COUNTRIES.get(card % COUNTRIES.size());
  }

  private static BigDecimal money(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP);
  }
}
