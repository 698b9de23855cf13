package io.vigil.dsl.limits;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How large a rule may be. Each limit bounds the work of checking, compiling and running a rule, so
 * that no source text can hang the checker or the job; a rule beyond one gets an ordinary
 * diagnostic at the culprit. The defaults are far beyond any rule written for a real use.
 *
 * @param sourceBytes size of one source file in UTF-8 bytes
 * @param nestingDepth depth of nested expressions, brackets and groups
 * @param quantifier largest count in {@code {n}}, {@code {n,m}} and {@code {n,}}
 * @param patternSize the stages of a pattern with their repetitions expanded: each stage counts its
 *     largest count times that of every group around it (this is the size of Flink's NFA)
 * @param stages number of named stages in one rule
 * @param window longest {@code within} and {@code max gap}
 * @param lateness longest {@code lateness} of a stream
 * @param stringLength longest string literal, in characters
 * @param regexSize size of a {@code matches} regular expression with its repetitions expanded
 * @param errors most diagnostics reported for one source file (then one saying how many more)
 * @param fields most fields of one stream
 */
public record Limits(
    long sourceBytes,
    int nestingDepth,
    int quantifier,
    int patternSize,
    int stages,
    Duration window,
    Duration lateness,
    int stringLength,
    int regexSize,
    int errors,
    int fields)
    implements Serializable {

  /** The option names, as {@code vigil check --limit NAME=VALUE} and the docs spell them. */
  public static final List<String> OPTIONS =
      List.of(
          "source-bytes",
          "nesting-depth",
          "quantifier",
          "pattern-size",
          "stages",
          "window",
          "lateness",
          "string-length",
          "regex-size",
          "errors",
          "fields");

  private static final Limits DEFAULTS =
      new Limits(
          1_048_576,
          100,
          200,
          300,
          50,
          Duration.ofDays(366),
          Duration.ofDays(31),
          10_000,
          1_000,
          100,
          1_000);

  public Limits {
    positive("source-bytes", sourceBytes);
    positive("nesting-depth", nestingDepth);
    positive("quantifier", quantifier);
    positive("pattern-size", patternSize);
    positive("stages", stages);
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(lateness, "lateness");
    positive("window", window.isNegative() || window.isZero() ? 0 : 1);
    if (lateness.isNegative()) {
      throw new IllegalArgumentException("limit lateness must not be negative: " + lateness);
    }
    positive("string-length", stringLength);
    positive("regex-size", regexSize);
    positive("errors", errors);
    positive("fields", fields);
  }

  public static Limits defaults() {
    return DEFAULTS;
  }

  public Limits withSourceBytes(long v) {
    return new Limits(
        v,
        nestingDepth,
        quantifier,
        patternSize,
        stages,
        window,
        lateness,
        stringLength,
        regexSize,
        errors,
        fields);
  }

  public Limits withNestingDepth(int v) {
    return new Limits(
        sourceBytes,
        v,
        quantifier,
        patternSize,
        stages,
        window,
        lateness,
        stringLength,
        regexSize,
        errors,
        fields);
  }

  public Limits withQuantifier(int v) {
    return new Limits(
        sourceBytes,
        nestingDepth,
        v,
        patternSize,
        stages,
        window,
        lateness,
        stringLength,
        regexSize,
        errors,
        fields);
  }

  public Limits withPatternSize(int v) {
    return new Limits(
        sourceBytes,
        nestingDepth,
        quantifier,
        v,
        stages,
        window,
        lateness,
        stringLength,
        regexSize,
        errors,
        fields);
  }

  public Limits withStages(int v) {
    return new Limits(
        sourceBytes,
        nestingDepth,
        quantifier,
        patternSize,
        v,
        window,
        lateness,
        stringLength,
        regexSize,
        errors,
        fields);
  }

  public Limits withWindow(Duration v) {
    return new Limits(
        sourceBytes,
        nestingDepth,
        quantifier,
        patternSize,
        stages,
        v,
        lateness,
        stringLength,
        regexSize,
        errors,
        fields);
  }

  public Limits withLateness(Duration v) {
    return new Limits(
        sourceBytes,
        nestingDepth,
        quantifier,
        patternSize,
        stages,
        window,
        v,
        stringLength,
        regexSize,
        errors,
        fields);
  }

  public Limits withStringLength(int v) {
    return new Limits(
        sourceBytes,
        nestingDepth,
        quantifier,
        patternSize,
        stages,
        window,
        lateness,
        v,
        regexSize,
        errors,
        fields);
  }

  public Limits withRegexSize(int v) {
    return new Limits(
        sourceBytes,
        nestingDepth,
        quantifier,
        patternSize,
        stages,
        window,
        lateness,
        stringLength,
        v,
        errors,
        fields);
  }

  public Limits withErrors(int v) {
    return new Limits(
        sourceBytes,
        nestingDepth,
        quantifier,
        patternSize,
        stages,
        window,
        lateness,
        stringLength,
        regexSize,
        v,
        fields);
  }

  public Limits withFields(int v) {
    return new Limits(
        sourceBytes,
        nestingDepth,
        quantifier,
        patternSize,
        stages,
        window,
        lateness,
        stringLength,
        regexSize,
        errors,
        v);
  }

  /**
   * These limits with the one named {@code option} (one of {@link #OPTIONS}) set from {@code
   * value}: a whole number, or for {@code window} and {@code lateness} a duration as rules write it
   * ({@code 30d}, {@code 12h}).
   *
   * @throws IllegalArgumentException naming the option when it is unknown or the value is invalid
   */
  public Limits with(String option, String value) {
    String v = value.strip();
    try {
      return switch (option) {
        case "source-bytes" -> withSourceBytes(Long.parseLong(v));
        case "nesting-depth" -> withNestingDepth(Integer.parseInt(v));
        case "quantifier" -> withQuantifier(Integer.parseInt(v));
        case "pattern-size" -> withPatternSize(Integer.parseInt(v));
        case "stages" -> withStages(Integer.parseInt(v));
        case "window" -> withWindow(duration(v));
        case "lateness" -> withLateness(duration(v));
        case "string-length" -> withStringLength(Integer.parseInt(v));
        case "regex-size" -> withRegexSize(Integer.parseInt(v));
        case "errors" -> withErrors(Integer.parseInt(v));
        case "fields" -> withFields(Integer.parseInt(v));
        default ->
            throw new IllegalArgumentException(
                "unknown limit `" + option + "`; limits: " + String.join(", ", OPTIONS));
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "limit " + option + ": `" + value + "` is not a valid value", e);
    }
  }

  /** A duration as rules write it, e.g. {@code 366d}: the short form used in messages. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    } else if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    } else if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    } else if (ms % 1_000L == 0) {
      return ms / 1_000L + "s";
    }
    return ms + "ms";
  }

  private static Duration duration(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    int unitAt = 0;
    while (unitAt < t.length() && Character.isDigit(t.charAt(unitAt))) {
      unitAt++;
    }
    long amount = Long.parseLong(t.substring(0, unitAt));
    return switch (t.substring(unitAt)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> throw new NumberFormatException("unit must be ms, s, m, h or d");
    };
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("limit " + name + " must be positive, got " + value);
    }
  }
}
