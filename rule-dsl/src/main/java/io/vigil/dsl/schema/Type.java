package io.vigil.dsl.schema;

import java.util.Locale;
import java.util.Optional;

/**
 * The types of the language. At run time a value of each type is held as: STRING → String, INT and
 * LONG → Long, DOUBLE → Double, DECIMAL → BigDecimal, BOOLEAN → Boolean, TIMESTAMP → Long (epoch
 * milliseconds). NULL is the type of the {@code null} literal only.
 */
public enum Type {
  STRING,
  INT,
  LONG,
  DOUBLE,
  DECIMAL,
  BOOLEAN,
  TIMESTAMP,
  NULL;

  public boolean numeric() {
    return this == INT || this == LONG || this == DOUBLE || this == DECIMAL;
  }

  public boolean integral() {
    return this == INT || this == LONG;
  }

  /** Values that can be ordered with {@code < <= > >=}. */
  public boolean ordered() {
    return numeric() || this == TIMESTAMP || this == STRING;
  }

  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type a field declaration names, e.g. {@code decimal}. NULL cannot be declared. */
  public static Optional<Type> ofKeyword(String keyword) {
    for (Type type : values()) {
      if (type != NULL && type.keyword().equals(keyword)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /**
   * The type in which two numeric operands are combined or compared: decimal wins over integers
   * (exact money), double wins over everything (an inexact operand makes the result inexact).
   */
  public static Type widen(Type a, Type b) {
    if (a == DOUBLE || b == DOUBLE) {
      return DOUBLE;
    }
    if (a == DECIMAL || b == DECIMAL) {
      return DECIMAL;
    }
    return LONG;
  }
}
