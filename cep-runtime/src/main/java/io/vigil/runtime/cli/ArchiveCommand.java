package io.vigil.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.runtime.archive.ArchiveClient;
import io.vigil.runtime.archive.ArchiveException;
import io.vigil.runtime.archive.ArchiveQuery;
import io.vigil.runtime.job.JobConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil archive}: alerts older than Redis keeps, from the alert service's archive ({@code
 * GET /api/archive/alerts}), newest first, as a table or JSON Lines.
 */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    description = {
      "Query the alert archive of the alert service (GET /api/archive/alerts; docs/archive.md):"
          + " alerts newest first, as a table or JSON Lines.",
      "Exit status: 0 success (also when nothing matches), 1 the service refused the query,"
          + " 2 usage error or the service cannot be reached."
    })
public final class ArchiveCommand implements Callable<Integer> {

  /** Where the token comes from when no file is given. */
  static final String TOKEN_ENV = "VIGIL_API_TOKEN";

  static final String URL_ENV = "VIGIL_ALERT_SERVICE_URL";

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Alerts detected at or after TIME: an ISO-8601 instant (2026-03-01T00:00:00Z) or a"
              + " duration back from now (7d, 12h, 30m).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Alerts detected before TIME (same forms as --since).")
  String until;

  @Option(names = "--rule", paramLabel = "RULE", description = "Only this rule id.")
  String rule;

  @Option(
      names = "--severity",
      paramLabel = "SEVERITY",
      description = "Only this severity: low, medium, high, critical.")
  String severity;

  @Option(
      names = "--key",
      paramLabel = "NAME=VALUE",
      description = "The alert's key must contain this field value (repeatable), e.g. cardId=c-1.")
  List<String> keys = new java.util.ArrayList<>();

  @Option(
      names = "--limit",
      defaultValue = "100",
      paramLabel = "N",
      description = "Print at most N alerts (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--page-size",
      defaultValue = "500",
      paramLabel = "N",
      description =
          "Alerts per request, at most the service's vigil.archive.max-page-size"
              + " (default: ${DEFAULT-VALUE}).")
  int pageSize;

  @Option(
      names = "--output",
      defaultValue = "table",
      paramLabel = "table|jsonl",
      description = "A table, or each alert's JSON on one line (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "The alert service (default: $" + URL_ENV + ", else http://localhost:8085).")
  String url;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "A file holding the API token (vigil.api.token); default: $" + TOKEN_ENV + ".")
  Path tokenFile;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description = "Per request (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Spec CommandLine.Model.CommandSpec spec;

  private final Clock clock;
  private final java.util.function.Function<String, String> environment;

  public ArchiveCommand() {
    this(Clock.systemUTC(), System::getenv);
  }

  ArchiveCommand(Clock clock, java.util.function.Function<String, String> environment) {
    this.clock = clock;
    this.environment = environment;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ArchiveQuery query;
    ArchiveClient client;
    try {
      if (limit < 1 || pageSize < 1) {
        throw new IllegalArgumentException("--limit and --page-size must be at least 1");
      }
      if (!output.equals("table") && !output.equals("jsonl")) {
        throw new IllegalArgumentException("--output is table or jsonl, was " + output);
      }
      query =
          new ArchiveQuery(
              Optional.ofNullable(rule),
              Optional.ofNullable(severity),
              keys,
              time("--since", since),
              time("--until", until));
      client = new ArchiveClient(service(), token(), JobConfig.parseDuration(timeout));
    } catch (IllegalArgumentException e) {
      err.println("vigil archive: " + e.getMessage());
      return 2;
    }
    List<JsonNode> alerts;
    try {
      alerts = client.alerts(query, limit, pageSize);
    } catch (ArchiveException e) {
      err.println("vigil archive: " + e.getMessage());
      return e.getMessage().startsWith("cannot reach") ? 2 : 1;
    }
    if (output.equals("jsonl")) {
      alerts.forEach(a -> out.println(a.toString()));
    } else {
      ArchiveTable.print(alerts, out);
    }
    out.flush();
    err.printf("vigil archive: %d alert%s%n", alerts.size(), alerts.size() == 1 ? "" : "s");
    err.flush();
    return 0;
  }

  private Optional<Instant> time(String option, String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException notAnInstant) {
      try {
        Duration back = JobConfig.parseDuration(value);
        return Optional.of(clock.instant().minus(back));
      } catch (RuntimeException notADuration) {
        throw new IllegalArgumentException(
            option
                + " takes an ISO-8601 instant (2026-03-01T00:00:00Z) or a duration back from now"
                + " (7d, 12h), was "
                + value);
      }
    }
  }

  private URI service() {
    String address = url != null ? url : environment.apply(URL_ENV);
    if (address == null || address.isBlank()) {
      address = "http://localhost:8085";
    }
    try {
      URI uri = URI.create(address.strip());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("the alert service address needs http(s)://host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url " + address + ": " + e.getMessage());
    }
  }

  private String token() {
    if (tokenFile != null) {
      try {
        return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --token-file " + tokenFile + ": " + e);
      }
    }
    String token = environment.apply(TOKEN_ENV);
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(
          "no API token: set "
              + TOKEN_ENV
              + " or give --token-file (the alert service's"
              + " vigil.api.token)");
    }
    return token.strip();
  }
}
