package io.vigil.samples.generate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Temperature and vibration readings of healthy devices every 30 seconds, with planted incidents
 * that the sample IoT rules must find: overheating without an ack (and one with an ack, which must
 * stay quiet), a device that goes silent, a fault that is never fixed, a vibration burst and a
 * flapping sensor.
 */
public final class IotScenario {

  public record Config(Instant start, int devices, Duration span, long seed) {
    public static Config demo() {
      return new Config(Instant.parse("2026-11-25T09:00:00Z"), 8, Duration.ofMinutes(40), 11);
    }
  }

  private static final List<String> SITES = List.of("plant-north", "plant-south");

  private IotScenario() {}

  public static List<GeneratedEvent> generate(Config config) {
    return labelled(config).events();
  }

  /** The readings and maintenance events and the labels of the incidents planted in them. */
  public static Scenario labelled(Config config) {
    Random random = new Random(config.seed());
    Timeline t = new Timeline(random);
    Instant end = config.start().plus(config.span());
    for (int d = 0; d < config.devices(); d++) {
      String device = "dev-" + d;
      for (Instant at = config.start().plusSeconds(d); at.isBefore(end); at = at.plusSeconds(30)) {
        reading(t, at, device, d, 45 + random.nextDouble() * 20, 0.3 + random.nextDouble());
      }
    }
    Instant s = config.start();
    // Overheating, nobody acknowledges (the alert comes when the 15 min for an ack are over).
    t.plant(
        "overheating_unattended",
        "deviceId",
        "boiler-1",
        s.plusSeconds(300),
        s.plusSeconds(340 + 900));
    for (int i = 0; i < 3; i++) {
      reading(t, s.plusSeconds(300 + 20L * i), "boiler-1", 0, 95 + i, 0.5);
    }
    reading(t, s.plusSeconds(380), "boiler-1", 0, 70, 0.5);
    // Overheating, acknowledged in time: no alert.
    for (int i = 0; i < 3; i++) {
      reading(t, s.plusSeconds(320 + 20L * i), "boiler-2", 1, 93 + i, 0.5);
    }
    maintenance(t, s.plusSeconds(600), "boiler-2", "ACK", "alice");
    reading(t, s.plusSeconds(700), "boiler-2", 1, 60, 0.5);
    // A device that stops reporting after ten minutes (last reading at 570 s, silent 5 min).
    t.plant(
        "device_silent", "deviceId", "pump-silent", s.plusSeconds(570), s.plusSeconds(570 + 300));
    for (Instant at = s; at.isBefore(s.plusSeconds(600)); at = at.plusSeconds(30)) {
      reading(t, at, "pump-silent", 0, 50, 0.4);
    }
    // A fault that is never fixed (the timeout alert fires two hours later, at the end of input).
    maintenance(t, s.plusSeconds(420), "press-7", "FAULT", "bob");
    t.plant("repair_overdue", "deviceId", "press-7", s.plusSeconds(420), s.plusSeconds(420 + 7200));
    // A fault that is fixed.
    maintenance(t, s.plusSeconds(450), "press-8", "FAULT", "carol");
    maintenance(t, s.plusSeconds(1500), "press-8", "FIXED", "carol");
    // Vibration burst: five strong readings, then calm.
    double[] burst = {2.9, 3.4, 3.8, 3.1, 3.3};
    t.plant("vibration_burst", "deviceId", "fan-3", s.plusSeconds(900), s.plusSeconds(990));
    for (int i = 0; i < burst.length; i++) {
      reading(t, s.plusSeconds(900 + 15L * i), "fan-3", 1, 55, burst[i]);
    }
    reading(t, s.plusSeconds(990), "fan-3", 1, 55, 0.4);
    // Flapping sensor: hot, cold, hot, cold, ...
    t.plant("flapping_sensor", "deviceId", "sensor-9", s.plusSeconds(1200), s.plusSeconds(1340));
    for (int i = 0; i < 4; i++) {
      reading(t, s.plusSeconds(1200 + 40L * i), "sensor-9", 0, 85, 0.5);
      reading(t, s.plusSeconds(1220 + 40L * i), "sensor-9", 0, 10, 0.5);
    }
    return new Scenario(t.events(Duration.ofSeconds(3)), t.incidents());
  }

  private static void reading(
      Timeline t, Instant at, String device, int site, double temperature, double vibration) {
    t.add(
        "readings",
        at,
        "deviceId",
        device,
        "site",
        SITES.get(site % SITES.size()),
        "temperature",
        Math.round(temperature * 10) / 10.0,
        "vibration",
        Math.round(vibration * 100) / 100.0);
  }

  private static void maintenance(
      Timeline t, Instant at, String device, String action, String tech) {
    t.add("maintenance", at, "deviceId", device, "action", action, "tech", tech);
  }
}
