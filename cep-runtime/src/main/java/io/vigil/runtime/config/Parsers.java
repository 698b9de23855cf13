package io.vigil.runtime.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;

/** The value types of the job's options. */
public final class Parsers {

  private Parsers() {}

  /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}. */
  public static Option.Parser<Duration> duration() {
    return text -> {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException("expected e.g. 500ms, 10s, 5m, 1h, 1d");
      };
    };
  }

  /** A duration above zero. */
  public static Option.Parser<Duration> positiveDuration() {
    return text -> {
      Duration d = duration().apply(text);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("must be positive");
      }
      return d;
    };
  }

  public static Option.Parser<Integer> positive() {
    return atLeast(1);
  }

  public static Option.Parser<Integer> atLeast(int min) {
    return text -> {
      int n = Integer.parseInt(text.trim());
      if (n < min) {
        throw new IllegalArgumentException("must be at least " + min);
      }
      return n;
    };
  }

  public static Option.Parser<Long> positiveLong() {
    return text -> {
      long n = Long.parseLong(text.trim());
      if (n < 1) {
        throw new IllegalArgumentException("must be at least 1");
      }
      return n;
    };
  }

  public static Option.Parser<String> text() {
    return String::trim;
  }

  /** Sets one named limit of a limits value; throws, naming it, for an unknown name or value. */
  public interface Override<T> extends Serializable {
    T apply(T current, String name, String value);
  }

  /** {@code NAME=VALUE,NAME=VALUE} applied one by one to {@code defaults}; empty: the defaults. */
  public static <T extends Serializable> Option.Parser<T> overrides(
      T defaults, Override<T> override) {
    return text -> {
      T result = defaults;
      for (String pair : text.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("expected NAME=VALUE, got `" + pair.strip() + "`");
        }
        result = override.apply(result, pair.substring(0, eq).strip(), pair.substring(eq + 1));
      }
      return result;
    };
  }
}
