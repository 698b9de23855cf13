package io.vigil.dsl.ast;

/** An identifier as written, with its position. */
public record Name(String text, Span span) {}
