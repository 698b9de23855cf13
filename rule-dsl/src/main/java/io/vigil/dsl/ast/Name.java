package io.vigil.dsl.ast;

import io.vigil.dsl.diagnostic.Span;

/** An identifier as written, with its position. */
public record Name(String text, Span span) {}
