package io.vigil.compiler.pattern;

/**
 * A condition context ({@code IterativeCondition.Context}) that can name the event a stage accepted
 * last without reading the whole partial match. Flink's own context reads every event of the
 * partial match from the shared buffer on the first question about it; a runtime that evaluates
 * conditions itself may answer this one from the partial match's latest event alone.
 *
 * @param <T> the event type
 */
public interface LatestEvents<T> {

  /** The event {@code stage} accepted last in the partial match, or null when it has none. */
  T latest(String stage) throws Exception;
}
