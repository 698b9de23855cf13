package io.vigil.runtime.config;

import java.io.Serializable;
import java.util.function.Function;

/**
 * One option of the job: name, default (as text, the way a user writes it), documentation and
 * parser. Each option is declared once, in the group of the part it configures ({@link
 * KafkaOptions}, {@link EventOptions}, {@link RuleOptions}, {@link MatcherOptions}, {@link
 * AlertOptions}, {@link FlinkOptions}); the job's configuration lists them all.
 */
public record Option<T>(String name, String defaultValue, String doc, Option.Parser<T> parser)
    implements Serializable {

  /** Parses an option value; a failure says what was expected (the caller names the option). */
  @FunctionalInterface
  public interface Parser<T> extends Function<String, T>, Serializable {}

  /** The default, parsed: what the job uses when the option is not set. */
  public T defaultParsed() {
    return parser.apply(defaultValue);
  }
}
