package io.vigil.compiler.event;

import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.function.Function;

/**
 * An event's fields by name, as alerts carry them ({@link EventEncoder#toMap}). One is made per
 * event and schema and shared by every alert that carries the event (the overlapping matches of a
 * loop, the members of a rule family), so it must not be changed once made. What is rendered from
 * it for a second alert (the event's JSON, in each of the alert's forms) is kept with it.
 *
 * <p>To everything else it is a map like any other, and copied as one (a copy keeps no rendering):
 * an alert that crosses a task boundary is serialized with its events as plain maps.
 */
public final class EncodedEvent extends LinkedHashMap<String, Object> {

  private static final long serialVersionUID = 1L;

  /** The number of forms a rendering may be asked for in. */
  public static final int FORMS = 2;

  private transient String[] renderings;

  /** Forms asked for once, by bit. */
  private transient int asked;

  public EncodedEvent() {}

  /**
   * This map rendered in form {@code form} (0 to {@link #FORMS} − 1), made by {@code render} the
   * second time it is asked for and kept. Empty the first time: the caller writes the map in place,
   * so that an event carried by one alert only costs nothing more.
   */
  public Optional<String> reused(int form, Function<EncodedEvent, String> render) {
    int bit = 1 << form;
    if ((asked & bit) == 0) {
      asked |= bit;
      return Optional.empty();
    }
    String[] made = renderings;
    if (made == null) {
      made = new String[FORMS];
      renderings = made;
    }
    String rendered = made[form];
    if (rendered == null) {
      rendered = render.apply(this);
      made[form] = rendered;
    }
    return Optional.of(rendered);
  }
}
