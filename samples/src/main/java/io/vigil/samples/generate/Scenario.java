package io.vigil.samples.generate;

import java.util.List;

/** The events of a generated scenario and the labels of the incidents planted in them. */
public record Scenario(List<GeneratedEvent> events, List<Incident> incidents) {

  public Scenario {
    events = List.copyOf(events);
    incidents = List.copyOf(incidents);
  }
}
