package io.vigil.console.alertservice;

import io.vigil.console.alerts.AlertServiceProperties;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alert service's REST API (docs/alerts.md), as the console uses it: subscriptions, their test
 * send and history, silences, parked deliveries and replay. Every failure becomes an {@link
 * AlertServiceException} whose message a page can show as it is.
 */
@Component
public class AlertServiceClient {
  private static final TypeReference<List<Subscription>> SUBSCRIPTIONS = new TypeReference<>() {};
  private static final TypeReference<List<Delivery>> DELIVERIES = new TypeReference<>() {};
  private static final TypeReference<List<Silence>> SILENCES = new TypeReference<>() {};

  private final AlertServiceProperties properties;
  private final JsonMapper json;
  private final HttpClient http;

  public AlertServiceClient(AlertServiceProperties properties, JsonMapper json) {
    this.properties = properties;
    this.json = json;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(properties.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** What a creation returns: the new id, and the secret when the service generated one. */
  public record Created(String id, Optional<String> generatedSecret) {}

  public List<Subscription> subscriptions() {
    return json.readValue(call("GET", "/api/subscriptions", null), SUBSCRIPTIONS);
  }

  public Subscription subscription(String id) {
    return json.readValue(call("GET", "/api/subscriptions/" + path(id), null), Subscription.class);
  }

  public Created create(SubscriptionRequest request) {
    JsonNode body =
        json.readTree(call("POST", "/api/subscriptions", json.writeValueAsString(request)));
    JsonNode secret = body.get("generatedSecret");
    return new Created(
        body.get("id").asString(),
        secret == null || secret.isNull() ? Optional.empty() : Optional.of(secret.asString()));
  }

  public Subscription replace(String id, SubscriptionRequest request) {
    return json.readValue(
        call("PUT", "/api/subscriptions/" + path(id), json.writeValueAsString(request)),
        Subscription.class);
  }

  public void delete(String id) {
    call("DELETE", "/api/subscriptions/" + path(id), null);
  }

  public TestSend testSend(String id) {
    return json.readValue(
        call("POST", "/api/subscriptions/" + path(id) + "/test", null), TestSend.class);
  }

  public List<Delivery> history(String subscriptionId, int limit) {
    return json.readValue(
        call(
            "GET",
            "/api/subscriptions/" + path(subscriptionId) + "/deliveries?limit=" + limit,
            null),
        DELIVERIES);
  }

  public List<Silence> silences() {
    return json.readValue(call("GET", "/api/silences", null), SILENCES);
  }

  public Silence silence(Matcher match, Instant endsAt, String comment) {
    record Request(Matcher match, Instant endsAt, String comment) {}
    return json.readValue(
        call("POST", "/api/silences", json.writeValueAsString(new Request(match, endsAt, comment))),
        Silence.class);
  }

  public void expire(String silenceId) {
    call("DELETE", "/api/silences/" + path(silenceId), null);
  }

  /** Parked deliveries, oldest first; of one subscription when given. */
  public List<Delivery> parked(Optional<String> subscriptionId, int limit) {
    String query =
        "?limit=" + limit + subscriptionId.map(s -> "&subscriptionId=" + query(s)).orElse("");
    return json.readValue(call("GET", "/api/deliveries/parked" + query, null), DELIVERIES);
  }

  public void replay(String deliveryId) {
    call("POST", "/api/deliveries/" + path(deliveryId) + "/replay", null);
  }

  /** Replays every parked delivery selected (every part optional); returns how many. */
  public long replay(
      Optional<String> subscriptionId, Optional<Instant> from, Optional<Instant> to) {
    List<String> params = new ArrayList<>();
    subscriptionId.ifPresent(s -> params.add("subscriptionId=" + query(s)));
    from.ifPresent(f -> params.add("from=" + query(f.toString())));
    to.ifPresent(t -> params.add("to=" + query(t.toString())));
    String query = params.isEmpty() ? "" : "?" + String.join("&", params);
    return json.readTree(call("POST", "/api/deliveries/parked/replay" + query, null))
        .get("replayed")
        .asLong();
  }

  private String call(String method, String pathAndQuery, String body) {
    URI uri = URI.create(properties.url().toString().replaceAll("/+$", "") + pathAndQuery);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(properties.timeout())
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (!properties.token().isEmpty()) {
      request.header("Authorization", "Bearer " + properties.token());
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AlertServiceException(
          "The alert service at "
              + properties.url()
              + " did not answer ("
              + networkProblem(e)
              + "). Check that it runs and that vigil.console.alert-service.url points to it.",
          0,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AlertServiceException("Interrupted while waiting for the alert service.", 0, e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response.body();
    }
    throw new AlertServiceException(refusal(status, response.body()), status, null);
  }

  private String refusal(int status, String body) {
    if (status == 401) {
      return "The alert service refused the console's API token: set"
          + " vigil.console.alert-service.token to the service's vigil.api.token.";
    }
    if (status == 404) {
      return "The alert service does not know this item (it may have been deleted).";
    }
    String detail = problemDetail(body);
    if (status >= 500) {
      return "The alert service failed (HTTP "
          + status
          + ")"
          + (detail.isEmpty() ? "." : ": " + detail);
    }
    return "The alert service refused the request (HTTP "
        + status
        + ")"
        + (detail.isEmpty() ? "." : ": " + detail);
  }

  private String networkProblem(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within " + properties.timeout().toSeconds() + " s";
    }
    return e.getMessage() == null ? "network error" : e.getMessage();
  }

  /** The {@code detail} of an RFC 9457 problem, or empty. */
  private String problemDetail(String body) {
    try {
      JsonNode problem = json.readTree(body);
      JsonNode detail = problem.get("detail");
      return detail == null || detail.isNull() ? "" : detail.asString();
    } catch (JacksonException | IllegalArgumentException notJson) {
      return "";
    }
  }

  private static String path(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
