package io.vigil.compiler.condition;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A bound a field of the event must keep for a condition to be true: the condition is {@code field
 * > constant and …} ({@code >=}, {@code <}, {@code <=}, the constant on either side), compared in
 * the field's own representation. An event whose field is missing, or on the wrong side of the
 * constant, fails the condition, whatever the rest says. The matcher uses it to find, among many
 * rules that start on thresholds of one field, those an event may start without testing each.
 */
public final class RequiredBound implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Which side of the constant the field's value must be on. */
  public enum Side {
    /** {@code field > constant}. */
    ABOVE,
    /** {@code field >= constant}. */
    AT_LEAST,
    /** {@code field < constant}. */
    BELOW,
    /** {@code field <= constant}. */
    AT_MOST
  }

  /** The order values of a domain compare in: the condition's own comparison. */
  enum Order {
    LONG(Long.class),
    DOUBLE(Double.class),
    DECIMAL(BigDecimal.class),
    STRING(String.class);

    private final Class<?> type;

    Order(Class<?> type) {
      this.type = type;
    }

    boolean accepts(Object value) {
      return type.isInstance(value);
    }

    int compare(Object a, Object b) {
      return switch (this) {
        case LONG -> Long.compare((Long) a, (Long) b);
        case DOUBLE -> Double.compare((Double) a, (Double) b);
        case DECIMAL -> ((BigDecimal) a).compareTo((BigDecimal) b);
        case STRING -> ((String) a).compareTo((String) b);
      };
    }
  }

  private final int field;
  private final Side side;
  private final Object constant;
  private final Order order;

  RequiredBound(int field, Side side, Object constant, Order order) {
    this.field = field;
    this.side = Objects.requireNonNull(side, "side");
    this.constant = Objects.requireNonNull(constant, "constant");
    this.order = Objects.requireNonNull(order, "order");
    if (!order.accepts(constant)) {
      throw new IllegalArgumentException(constant + " is not a value of " + order);
    }
  }

  /** The index of the field, in the schema of the condition's stream. */
  public int field() {
    return field;
  }

  public Side side() {
    return side;
  }

  /** The constant, in the representation the field's values have. */
  public Object constant() {
    return constant;
  }

  /** The name of the order it compares in: bounds of one order sort together. */
  public String order() {
    return order.name();
  }

  /**
   * Compares two values of its order ({@link #accepts}), as the condition compares them.
   *
   * @throws ClassCastException for a value of another representation
   */
  public int compare(Object a, Object b) {
    return order.compare(a, b);
  }

  /** Whether {@code value} has the representation the bound compares in. */
  public boolean accepts(Object value) {
    return order.accepts(value);
  }

  /** Whether a field holding {@code value} keeps the bound (a missing value never does). */
  public boolean admits(Object value) {
    if (value == null) {
      return false;
    }
    int c = order.compare(value, constant);
    return switch (side) {
      case ABOVE -> c > 0;
      case AT_LEAST -> c >= 0;
      case BELOW -> c < 0;
      case AT_MOST -> c <= 0;
    };
  }

  /**
   * Whether no value keeps both this bound and {@code other}: bounds of one field and order on
   * opposite sides of constants that leave no value between them ({@code < 1.0} and {@code > 2.9},
   * or {@code <= 2} and {@code >= 3}). Conditions led by such bounds pass no event in common.
   */
  public boolean excludes(RequiredBound other) {
    if (field != other.field || order != other.order) {
      return false;
    }
    if (below(side) && !below(other.side)) {
      return leaveNothingBetween(this, other);
    }
    if (!below(side) && below(other.side)) {
      return leaveNothingBetween(other, this);
    }
    return false;
  }

  private static boolean below(Side side) {
    return side == Side.BELOW || side == Side.AT_MOST;
  }

  /** Whether no value is below or at {@code upper} and above or at {@code lower}, as they say. */
  private static boolean leaveNothingBetween(RequiredBound upper, RequiredBound lower) {
    int c = upper.order.compare(upper.constant, lower.constant);
    boolean bothInclusive = upper.side == Side.AT_MOST && lower.side == Side.AT_LEAST;
    return bothInclusive ? c < 0 : c <= 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequiredBound b
        && field == b.field
        && side == b.side
        && order == b.order
        && order.compare(constant, b.constant) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(field, side, order);
  }

  @Override
  public String toString() {
    return "field " + field + " " + side + " " + constant;
  }
}
