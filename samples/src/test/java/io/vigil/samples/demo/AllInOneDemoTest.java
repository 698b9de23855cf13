package io.vigil.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, end to end: real Kafka, Redis and SMTP, the Vigil job on a Flink
 * MiniCluster, the packaged alert service and console, and the planted fraud and IoT incidents
 * coming out as alerts, signed webhooks and an email digest.
 */
class AllInOneDemoTest {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
  private static final Pattern SESSION = Pattern.compile("VIGIL_CONSOLE=([^;]+)");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void thePlantedIncidentsBecomeAlertsWebhooksAndMail(@TempDir Path dir) throws Exception {
    DemoMain demo = new DemoMain();
    demo.workDir = dir;
    demo.rules = List.of(Path.of("."));
    demo.alertServiceJar = Path.of("..", "alert-service", "target", "alert-service.jar");
    demo.speed = 60;
    demo.duration = Duration.ofSeconds(80);
    demo.httpPort = 0;
    demo.consoleJar = Path.of("..", "console", "target", "console.jar");
    demo.consolePort = 0;
    AtomicReference<String> streamsPage = new AtomicReference<>("");
    AtomicReference<List<DemoConsole.User>> users = new AtomicReference<>(List.of());
    demo.consoleReady =
        console -> {
          users.set(console.users());
          DemoConsole.User analyst =
              console.users().stream().filter(u -> u.role().equals("ANALYST")).findFirst().get();
          streamsPage.set(streamsSeenBy(console.url(), analyst));
        };

    DemoMain.Summary summary = demo.run();

    assertThat(users.get())
        .extracting(DemoConsole.User::username)
        .containsExactly("viewer", "analyst", "admin");
    assertThat(users.get()).allSatisfy(u -> assertThat(u.password()).hasSizeGreaterThan(12));
    assertThat(streamsPage.get()).contains("payments", "logins", "readings", "maintenance");

    assertThat(summary.alertsByRule())
        .containsKeys(
            "card_testing",
            "account_takeover",
            "impossible_travel",
            "split_purchases",
            "overheating_unattended",
            "vibration_burst",
            "flapping_sensor");
    assertThat(summary.webhooksVerified()).isPositive();
    assertThat(summary.webhooksRejected()).isZero();
    assertThat(summary.emails()).isPositive();
  }

  /** Signs in through the login form (with its CSRF token) and reads the streams page. */
  private String streamsSeenBy(String console, DemoConsole.User user) {
    try {
      HttpResponse<String> form = http.send(get(console + "/login", ""), ofString());
      assertThat(form.statusCode()).isEqualTo(200);
      String session = match(SESSION, form.headers().firstValue("Set-Cookie").orElse(""));
      String body =
          "username="
              + user.username()
              + "&password="
              + URLEncoder.encode(user.password(), StandardCharsets.UTF_8)
              + "&_csrf="
              + URLEncoder.encode(match(CSRF, form.body()), StandardCharsets.UTF_8);
      HttpResponse<String> signIn =
          http.send(
              HttpRequest.newBuilder(URI.create(console + "/login"))
                  .header("Cookie", "VIGIL_CONSOLE=" + session)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              ofString());
      assertThat(signIn.statusCode()).isEqualTo(302);
      assertThat(signIn.headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).endsWith("/rules"));
      String signedIn = match(SESSION, signIn.headers().firstValue("Set-Cookie").orElse(""));
      // The import of stream declarations runs right after the console starts answering.
      Instant deadline = Instant.now().plusSeconds(30);
      String page;
      do {
        HttpResponse<String> streams = http.send(get(console + "/streams", signedIn), ofString());
        assertThat(streams.statusCode()).isEqualTo(200);
        page = streams.body();
      } while (!page.contains("maintenance") && Instant.now().isBefore(deadline));
      return page;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static HttpRequest get(String url, String session) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    return session.isEmpty() ? b.build() : b.header("Cookie", "VIGIL_CONSOLE=" + session).build();
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private static String match(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
    return m.group(1);
  }
}
