package io.vigil.alert.limits;

/** A write refused because it would pass one of the {@link LimitsProperties} caps. */
public class LimitExceededException extends RuntimeException {
  public LimitExceededException(String what, int limit, String property) {
    super(
        "at most "
            + limit
            + " "
            + what
            + " may exist ("
            + property
            + "); delete some or raise the limit");
  }
}
