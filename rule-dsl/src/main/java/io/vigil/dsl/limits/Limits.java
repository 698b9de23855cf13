package io.vigil.dsl.limits;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

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

  /**
   * One limit: its option name (as {@code vigil check --limit NAME=VALUE} and the docs spell it),
   * its default, how a value is read from text and which values are allowed. The table below holds
   * them in the order of the record's components.
   */
  private record Definition(
      String option,
      Object defaultValue,
      Function<String, Object> parse,
      Predicate<Object> allowed,
      String requirement) {

    static Definition count(String option, int defaultValue) {
      return new Definition(
          option, defaultValue, Integer::parseInt, v -> (Integer) v >= 1, "must be positive");
    }

    static Definition bytes(String option, long defaultValue) {
      return new Definition(
          option, defaultValue, Long::parseLong, v -> (Long) v >= 1, "must be positive");
    }

    static Definition duration(
        String option, Duration defaultValue, Predicate<Duration> allowed, String requirement) {
      return new Definition(
          option, defaultValue, Limits::duration, v -> allowed.test((Duration) v), requirement);
    }

    void check(Object value) {
      Objects.requireNonNull(value, option);
      if (!allowed.test(value)) {
        throw new IllegalArgumentException(
            "limit " + option + " " + requirement + ", got " + display(value));
      }
    }
  }

  private static final List<Definition> TABLE =
      List.of(
          Definition.bytes("source-bytes", 1_048_576),
          Definition.count("nesting-depth", 100),
          Definition.count("quantifier", 200),
          Definition.count("pattern-size", 300),
          Definition.count("stages", 50),
          Definition.duration(
              "window",
              Duration.ofDays(366),
              d -> !d.isNegative() && !d.isZero(),
              "must be positive"),
          Definition.duration(
              "lateness", Duration.ofDays(31), d -> !d.isNegative(), "must not be negative"),
          Definition.count("string-length", 10_000),
          Definition.count("regex-size", 1_000),
          Definition.count("errors", 100),
          Definition.count("fields", 1_000));

  /** The option names, as {@code vigil check --limit NAME=VALUE} and the docs spell them. */
  public static final List<String> OPTIONS = TABLE.stream().map(Definition::option).toList();

  private static final Limits DEFAULTS = of(TABLE.stream().map(Definition::defaultValue).toList());

  public Limits {
    List<Object> values =
        Arrays.asList(
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
            fields);
    for (int i = 0; i < TABLE.size(); i++) {
      TABLE.get(i).check(values.get(i));
    }
  }

  private static Limits of(List<Object> v) {
    return new Limits(
        (Long) v.get(0),
        (Integer) v.get(1),
        (Integer) v.get(2),
        (Integer) v.get(3),
        (Integer) v.get(4),
        (Duration) v.get(5),
        (Duration) v.get(6),
        (Integer) v.get(7),
        (Integer) v.get(8),
        (Integer) v.get(9),
        (Integer) v.get(10));
  }

  private List<Object> values() {
    return Arrays.asList(
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
        fields);
  }

  public static Limits defaults() {
    return DEFAULTS;
  }

  /** These limits with the one named {@code option} set to {@code value} (checked). */
  private Limits replaced(String option, Object value) {
    List<Object> values = new ArrayList<>(values());
    values.set(OPTIONS.indexOf(option), value);
    return of(values);
  }

  public Limits withSourceBytes(long v) {
    return replaced("source-bytes", v);
  }

  public Limits withNestingDepth(int v) {
    return replaced("nesting-depth", v);
  }

  public Limits withQuantifier(int v) {
    return replaced("quantifier", v);
  }

  public Limits withPatternSize(int v) {
    return replaced("pattern-size", v);
  }

  public Limits withStages(int v) {
    return replaced("stages", v);
  }

  public Limits withWindow(Duration v) {
    return replaced("window", v);
  }

  public Limits withLateness(Duration v) {
    return replaced("lateness", v);
  }

  public Limits withStringLength(int v) {
    return replaced("string-length", v);
  }

  public Limits withRegexSize(int v) {
    return replaced("regex-size", v);
  }

  public Limits withErrors(int v) {
    return replaced("errors", v);
  }

  public Limits withFields(int v) {
    return replaced("fields", v);
  }

  /**
   * These limits with the one named {@code option} (one of {@link #OPTIONS}) set from {@code
   * value}: a whole number, or for {@code window} and {@code lateness} a duration as rules write it
   * ({@code 30d}, {@code 12h}).
   *
   * @throws IllegalArgumentException naming the option when it is unknown or the value is invalid
   */
  public Limits with(String option, String value) {
    int index = OPTIONS.indexOf(option);
    if (index < 0) {
      throw new IllegalArgumentException(
          "unknown limit `" + option + "`; limits: " + String.join(", ", OPTIONS));
    }
    try {
      return replaced(option, TABLE.get(index).parse().apply(value.strip()));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "limit " + option + ": `" + value + "` is not a valid value", e);
    }
  }

  private static String display(Object value) {
    return value instanceof Duration d ? format(d) : String.valueOf(value);
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
}
