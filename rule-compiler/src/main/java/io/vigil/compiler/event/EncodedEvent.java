package io.vigil.compiler.event;

import java.util.LinkedHashMap;
import java.util.function.Function;

/**
 * An event's fields by name, as alerts carry them ({@link EventEncoder#toMap}). One is made per
 * event and schema and shared by every alert that carries the event (the overlapping matches of a
 * loop, the members of a rule family), so it must not be changed once made. What is rendered from
 * it (the event's JSON in an alert, in each of the alert's forms) is kept with it and made once.
 *
 * <p>To everything else it is a map like any other, and copied as one (a copy keeps no rendering):
 * an alert that crosses a task boundary is serialized with its events as plain maps.
 */
public final class EncodedEvent extends LinkedHashMap<String, Object> {

  private static final long serialVersionUID = 1L;

  /** The number of forms a rendering may be asked for in. */
  public static final int FORMS = 2;

  private transient String[] renderings;

  public EncodedEvent() {}

  /**
   * This map rendered in form {@code form} (0 to {@link #FORMS} − 1), by {@code render} the first
   * time it is asked for.
   */
  public String rendering(int form, Function<EncodedEvent, String> render) {
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
    return rendered;
  }
}
