package io.vigil.compiler.event;

import java.io.Serializable;
import java.util.List;

/**
 * What {@link EventDecoder} accepts from a JSON message before it becomes an {@link Event}. A value
 * beyond a limit rejects the message with the reason (the job dead-letters it), so no condition
 * ever sees it. The defaults are far beyond any real event.
 *
 * @param stringLength longest string read into a field (a string, or a decimal or timestamp sent as
 *     text), in characters
 * @param decimalDigits most digits of a number read into a {@code decimal} field when written out
 *     in full: {@code 1e999999999} has a billion and is refused instead of expanded
 * @param nestingDepth deepest nesting of objects and arrays in the message
 */
public record DecodingLimits(int stringLength, int decimalDigits, int nestingDepth)
    implements Serializable {

  /** The option names, as the job's {@code events.decoding-limits} and the docs spell them. */
  public static final List<String> OPTIONS =
      List.of("string-length", "decimal-digits", "nesting-depth");

  private static final DecodingLimits DEFAULTS = new DecodingLimits(16_384, 100, 32);

  public DecodingLimits {
    positive("stringLength", stringLength);
    positive("decimalDigits", decimalDigits);
    positive("nestingDepth", nestingDepth);
  }

  public static DecodingLimits defaults() {
    return DEFAULTS;
  }

  public DecodingLimits withStringLength(int v) {
    return new DecodingLimits(v, decimalDigits, nestingDepth);
  }

  public DecodingLimits withDecimalDigits(int v) {
    return new DecodingLimits(stringLength, v, nestingDepth);
  }

  public DecodingLimits withNestingDepth(int v) {
    return new DecodingLimits(stringLength, decimalDigits, v);
  }

  /**
   * This with one limit set by its option name, e.g. {@code with("string-length", "4096")}.
   *
   * @throws IllegalArgumentException naming the option, for an unknown name or a bad value
   */
  public DecodingLimits with(String option, String value) {
    int v;
    try {
      v = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "decoding limit " + option + ": `" + value + "` is not a valid value", e);
    }
    return switch (option) {
      case "string-length" -> withStringLength(v);
      case "decimal-digits" -> withDecimalDigits(v);
      case "nesting-depth" -> withNestingDepth(v);
      default ->
          throw new IllegalArgumentException(
              "unknown decoding limit `" + option + "`; limits: " + String.join(", ", OPTIONS));
    };
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
