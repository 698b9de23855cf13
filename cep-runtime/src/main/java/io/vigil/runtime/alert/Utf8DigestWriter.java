package io.vigil.runtime.alert;

import java.io.Writer;
import java.security.MessageDigest;

/**
 * A writer that feeds the UTF-8 encoding of what it is given into a digest, byte for byte what
 * {@code String.getBytes(UTF_8)} of the whole text would give: a surrogate pair as its four-byte
 * sequence, a surrogate without its partner as {@code '?'}. An alert id hashes its canonical JSON
 * this way without the text, its copies and its encoded bytes being made first.
 */
final class Utf8DigestWriter extends Writer {

  private static final byte UNMAPPABLE = '?';

  private final MessageDigest digest;
  private final byte[] buffer = new byte[512];
  private int length;

  /** A high surrogate whose partner, if any, comes with the next write; 0 when none waits. */
  private char pendingHigh;

  Utf8DigestWriter(MessageDigest digest) {
    this.digest = digest;
  }

  @Override
  public void write(char[] chars, int offset, int count) {
    for (int i = offset, end = offset + count; i < end; i++) {
      put(chars[i]);
    }
  }

  @Override
  public void write(String text, int offset, int count) {
    for (int i = offset, end = offset + count; i < end; i++) {
      put(text.charAt(i));
    }
  }

  @Override
  public void write(int c) {
    put((char) c);
  }

  private void put(char c) {
    if (pendingHigh != 0) {
      char high = pendingHigh;
      pendingHigh = 0;
      if (Character.isLowSurrogate(c)) {
        encode(Character.toCodePoint(high, c));
        return;
      }
      one(UNMAPPABLE);
    }
    if (c < 0x80) {
      one((byte) c);
    } else if (c < 0x800) {
      room(2);
      buffer[length++] = (byte) (0xC0 | (c >> 6));
      buffer[length++] = (byte) (0x80 | (c & 0x3F));
    } else if (Character.isHighSurrogate(c)) {
      pendingHigh = c;
    } else if (Character.isLowSurrogate(c)) {
      one(UNMAPPABLE);
    } else {
      room(3);
      buffer[length++] = (byte) (0xE0 | (c >> 12));
      buffer[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
      buffer[length++] = (byte) (0x80 | (c & 0x3F));
    }
  }

  private void one(byte b) {
    room(1);
    buffer[length++] = b;
  }

  private void encode(int codePoint) {
    room(4);
    buffer[length++] = (byte) (0xF0 | (codePoint >> 18));
    buffer[length++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
    buffer[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
    buffer[length++] = (byte) (0x80 | (codePoint & 0x3F));
  }

  private void room(int bytes) {
    if (length + bytes > buffer.length) {
      flush();
    }
  }

  /** Hands the bytes so far to the digest. */
  @Override
  public void flush() {
    digest.update(buffer, 0, length);
    length = 0;
  }

  /** Ends the text: a high surrogate still waiting has no partner. */
  @Override
  public void close() {
    if (pendingHigh != 0) {
      pendingHigh = 0;
      one(UNMAPPABLE);
    }
    flush();
  }
}
