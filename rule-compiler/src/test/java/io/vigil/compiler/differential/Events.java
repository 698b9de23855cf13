package io.vigil.compiler.differential;

import io.vigil.compiler.event.DecodeResult;
import io.vigil.compiler.event.Event;
import io.vigil.compiler.event.EventDecoder;
import io.vigil.dsl.schema.StreamSchema;
import java.util.Map;

/**
 * Builds events of the sample streams through the real {@link EventDecoder}, from JSON written with
 * single quotes. Times are seconds after 2026-01-01T00:00:00Z.
 */
final class Events {

  static final long BASE = 1_767_225_600_000L;

  private final Map<String, StreamSchema> streams;

  Events(Map<String, StreamSchema> streams) {
    this.streams = streams;
  }

  Event json(String stream, String singleQuoted) {
    DecodeResult r = new EventDecoder(streams.get(stream)).decode(singleQuoted.replace('\'', '"'));
    return r.decoded().orElseThrow(() -> new AssertionError(r.rejection().orElse("?")));
  }

  static long at(long seconds) {
    return BASE + seconds * 1000;
  }

  Event payment(
      String id,
      String card,
      String amount,
      String status,
      String currency,
      String merchant,
      String country,
      String channel,
      long second) {
    return json(
        "payments",
        "{'eventId':'%s','cardId':'%s','accountId':'acc-%s','amount':%s,'currency':'%s','merchant':'%s','country':'%s','status':'%s','channel':'%s','ts':%d}"
            .formatted(
                id, card, card, amount, currency, merchant, country, status, channel, at(second)));
  }

  Event spend(String id, String account, String amount, long second) {
    return json(
        "payments",
        "{'eventId':'%s','cardId':'card-%s','accountId':'%s','amount':%s,'currency':'EUR','merchant':'shop','country':'FR','status':'APPROVED','channel':'ONLINE','ts':%d}"
            .formatted(id, account, account, amount, at(second)));
  }

  Event login(String id, String account, boolean success, String country, long second) {
    return json(
        "logins",
        "{'eventId':'%s','accountId':'%s','country':'%s','success':%s,'ts':%d}"
            .formatted(id, account, country, success, at(second)));
  }

  Event reading(String id, String device, double temperature, double vibration, long second) {
    return json(
        "readings",
        "{'eventId':'%s','deviceId':'%s','site':'site-%s','temperature':%s,'vibration':%s,'ts':'%s'}"
            .formatted(
                id,
                device,
                device,
                temperature,
                vibration,
                java.time.Instant.ofEpochMilli(at(second))));
  }

  Event maintenance(String id, String device, String action, String tech, long second) {
    return json(
        "maintenance",
        "{'eventId':'%s','deviceId':'%s','action':'%s','tech':'%s','ts':%d}"
            .formatted(id, device, action, tech, at(second)));
  }
}
