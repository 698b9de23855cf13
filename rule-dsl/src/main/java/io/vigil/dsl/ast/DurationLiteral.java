package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.Span;
import java.time.Duration;

/** A duration such as {@code 10m} as written, with its value. */
public record DurationLiteral(Duration value, String text, Span span) {}
