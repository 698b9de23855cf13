package io.vigil.runtime.matching;

import io.vigil.compiler.event.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The rules of one key whose partial matches only an event holding a particular text can move
 * ({@link NoOpSteps#wakes}), by stream, field and text. While a drain takes the key's events, an
 * event is shown to those rules only when it holds one of their texts: on a hot key with hundreds
 * of rules waiting (e.g. {@code then b: merchant == a.merchant and …}), an event costs a few
 * lookups instead of a condition test per rule.
 */
final class WakeIndex {

  private final Map<String, Map<Integer, Map<Object, List<String>>>> byText = new HashMap<>();

  void add(String stateId, List<NoOpSteps.Wake> wakes) {
    for (NoOpSteps.Wake wake : wakes) {
      List<String> ids =
          byText
              .computeIfAbsent(wake.stream(), s -> new HashMap<>())
              .computeIfAbsent(wake.field(), f -> new HashMap<>())
              .computeIfAbsent(wake.value(), v -> new ArrayList<>(2));
      if (ids.isEmpty() || !ids.get(ids.size() - 1).equals(stateId)) {
        ids.add(stateId);
      }
    }
  }

  /** Calls {@code action} with each rule that {@code event} may wake (a rule possibly twice). */
  void woken(Event event, Consumer<String> action) {
    Map<Integer, Map<Object, List<String>>> fields = byText.get(event.stream());
    if (fields == null) {
      return;
    }
    for (Map.Entry<Integer, Map<Object, List<String>>> e : fields.entrySet()) {
      int field = e.getKey();
      Object value = field < event.size() ? event.value(field) : null;
      if (value != null) {
        List<String> ids = e.getValue().get(value);
        if (ids != null) {
          ids.forEach(action);
        }
      }
    }
  }
}
