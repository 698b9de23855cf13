package io.vigil.alert.ingest;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where alerts come from and where malformed ones go.
 *
 * @param topic the topic the CEP runtime writes alerts to
 * @param deadLetterTopic malformed records are copied here with the reason in a header
 * @param retryInitialInterval first pause when Redis or the dead-letter topic is unreachable; the
 *     record is retried for ever (never skipped) so that no alert is lost
 * @param retryMaxInterval longest pause between such retries
 */
@Validated
@ConfigurationProperties("vigil.ingest")
public record IngestProperties(
    @NotBlank @DefaultValue("vigil.alerts") String topic,
    @NotBlank @DefaultValue("vigil.alerts.dlt") String deadLetterTopic,
    @DefaultValue("200ms") Duration retryInitialInterval,
    @DefaultValue("10s") Duration retryMaxInterval) {}
