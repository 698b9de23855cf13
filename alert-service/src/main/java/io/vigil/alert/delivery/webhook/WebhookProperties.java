package io.vigil.alert.delivery.webhook;

import io.vigil.alert.egress.UrlGuard;
import jakarta.validation.constraints.Min;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How webhooks are called.
 *
 * @param connectTimeout TCP connect timeout
 * @param deadline the whole call's time limit: connect, request, response headers and body; a
 *     receiver that is still sending when it passes is cut off, and the attempt counts as failed
 * @param maxConcurrencyPerEndpoint requests in flight at once to one host:port; more wait in the
 *     schedule so that a slow endpoint cannot take every worker
 * @param allowedNetworks CIDR blocks exempt from the SSRF refusal (e.g. {@code 127.0.0.0/8} in
 *     tests, or an internal receiver); empty by default
 * @param allowedHosts host names exempt from the SSRF refusal
 * @param circuitFailureRate failure percentage that opens an endpoint's circuit
 * @param circuitMinimumCalls calls needed before the failure rate counts
 * @param circuitOpenDuration how long an open circuit refuses calls before it lets one probe call
 *     through; deliveries meanwhile are deferred to that moment without spending an attempt
 */
@Validated
@ConfigurationProperties("vigil.webhook")
public record WebhookProperties(
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("10s") Duration deadline,
    @Min(1) @DefaultValue("4") int maxConcurrencyPerEndpoint,
    @DefaultValue List<String> allowedNetworks,
    @DefaultValue List<String> allowedHosts,
    @DefaultValue("50") float circuitFailureRate,
    @Min(1) @DefaultValue("10") int circuitMinimumCalls,
    @DefaultValue("30s") Duration circuitOpenDuration) {

  /** The address policy for webhook URLs with this configuration's allow-lists. */
  public UrlGuard urlGuard() {
    return new UrlGuard(allowedNetworks, allowedHosts, InetAddress::getAllByName);
  }
}
