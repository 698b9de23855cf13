package io.vigil.dsl.schema;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A declared stream after checking. Nested objects are flattened: {@code geo.country} is one field
 * with its own index, so that a compiled condition reads {@code values[index]} and never walks a
 * map.
 */
public record StreamSchema(String name, List<Field> fields, int timeIndex, Duration lateness) {

  public StreamSchema {
    fields = List.copyOf(fields);
    if (timeIndex < 0 || timeIndex >= fields.size()) {
      throw new IllegalArgumentException("time field index out of range: " + timeIndex);
    }
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).index() != i) {
        throw new IllegalArgumentException("field " + fields.get(i).path() + " is not at " + i);
      }
    }
  }

  /** One leaf field: its dotted path, type and position in an event's value array. */
  public record Field(String path, Type type, int index) {

    public List<String> segments() {
      return List.of(path.split("\\."));
    }
  }

  public Optional<Field> field(String path) {
    return fields.stream().filter(f -> f.path().equals(path)).findFirst();
  }

  public Field timeField() {
    return fields.get(timeIndex);
  }

  public int size() {
    return fields.size();
  }
}
