package io.vigil.console.rules.deploy;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where deployed rules live ({@code vigil.console.kafka.*}).
 *
 * @param bootstrapServers the Kafka cluster of the Vigil job
 * @param rulesTopic the compacted control topic: the source of truth for what is deployed
 * @param statusTopic where the job acknowledges each command per subtask
 * @param rolloutTimeout how long a deploy page follows the acknowledgements before giving up
 */
@Validated
@ConfigurationProperties("vigil.console.kafka")
public record KafkaProperties(
    @NotBlank @DefaultValue("localhost:9092") String bootstrapServers,
    @NotBlank @DefaultValue("vigil.rules") String rulesTopic,
    @NotBlank @DefaultValue("vigil.rule-status") String statusTopic,
    @NotNull @DefaultValue("2m") Duration rolloutTimeout) {}
