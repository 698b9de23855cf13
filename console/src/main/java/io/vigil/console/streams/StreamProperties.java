package io.vigil.console.streams;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Stream declarations ({@code vigil.console.streams.*}).
 *
 * @param importFiles {@code .vgl} files whose stream declarations are stored at start-up when the
 *     console has no version of that stream yet (e.g. {@code samples/streams.vgl})
 */
@Validated
@ConfigurationProperties("vigil.console.streams")
public record StreamProperties(@NotNull @DefaultValue List<Path> importFiles) {}
