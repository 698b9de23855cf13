package io.vigil.console.streams.activity;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the streams page shows of the job's Kafka topics ({@code vigil.console.stream-activity.*}).
 *
 * @param deadLetterTopic the job's {@code topics.dead-letter}
 * @param sampleInterval how often the end offsets are sampled; a stream's rate is the events
 *     appended between the last two samples divided by the time between them
 * @param deadLetters how many of the newest dead letters the page lists
 */
@Validated
@ConfigurationProperties("vigil.console.stream-activity")
public record StreamActivityProperties(
    @NotBlank @DefaultValue("vigil.dead-letter") String deadLetterTopic,
    @NotNull @DefaultValue("10s") Duration sampleInterval,
    @Min(1) @Max(500) @DefaultValue("20") int deadLetters) {}
