package io.vigil.alert.archive;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Where a page of the archive ends: the last alert's detection time and id (pages run newest first,
 * ties broken by id). Opaque to clients: URL-safe Base64 of {@code <instant> <alertId>}.
 */
record ArchiveCursor(Instant detectedAt, String alertId) {
  String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((detectedAt + " " + alertId).getBytes(StandardCharsets.UTF_8));
  }

  static ArchiveCursor decode(String text) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      int space = plain.indexOf(' ');
      if (space < 1 || space == plain.length() - 1) {
        throw new IllegalArgumentException("malformed cursor");
      }
      return new ArchiveCursor(
          Instant.parse(plain.substring(0, space)), plain.substring(space + 1));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "cursor '" + text + "' is not one this service returned as nextCursor");
    }
  }
}
