package io.vigil.runtime.matcher.state;

import io.vigil.compiler.event.Event;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Events on the wire and in keyed state (event queues, shared buffers): stream, timestamp and each
 * value behind a one-byte type tag. Several times cheaper than Kryo's generic path, which was the
 * largest cost of the matcher in the benchmark. Values use the run-time types of the rule language
 * (String, Long, Double, BigDecimal, Boolean).
 */
public final class EventSerializer extends SingletonSerializer<Event> {

  private static final long serialVersionUID = 1L;

  public static final EventSerializer INSTANCE = new EventSerializer();

  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte LONG = 2;
  private static final byte DOUBLE = 3;
  private static final byte DECIMAL = 4;
  private static final byte BOOLEAN = 5;
  private static final byte INT = 6;

  /**
   * A string whose characters all fit in one byte (most identifiers, codes and names), written as
   * its bytes: read back with one bulk copy instead of {@code readUTF}'s decoding loop, which was
   * the largest cost of reading events.
   */
  private static final byte LATIN1 = 7;

  /**
   * Any other string, as UTF-8 behind its byte length ({@link #STRING}, {@code writeUTF}, is only
   * read: it is what earlier versions wrote, and cannot hold more than 65535 bytes).
   */
  private static final byte UTF8 = 8;

  /**
   * A string with an unpaired surrogate (JSON may carry one, {@code "\ud800"}), which UTF-8 cannot
   * represent: its UTF-16 code units behind their count.
   */
  private static final byte CHARS = 9;

  private static final int LATIN1_MAX_LENGTH = 0xFFFF;

  /** The tags from here on are free for values around events' values (maps, lists). */
  public static final byte FIRST_FREE_TAG = 16;

  @Override
  public boolean isImmutableType() {
    // Events are never modified after decoding.
    return true;
  }

  @Override
  public Event createInstance() {
    return new Event("", 0, new Object[0]);
  }

  @Override
  public Event copy(Event from) {
    return from;
  }

  @Override
  public void serialize(Event event, DataOutputView out) throws IOException {
    out.writeUTF(event.stream());
    out.writeLong(event.timestamp());
    out.writeInt(event.size());
    for (int i = 0; i < event.size(); i++) {
      writeValue(event.value(i), out);
    }
  }

  /**
   * Whether {@link #writeValue} writes {@code value}: null, or a string, long, double, decimal,
   * boolean or int, the types a decoded event's fields hold.
   */
  public static boolean isValue(Object value) {
    return value == null
        || value instanceof String
        || value instanceof Long
        || value instanceof Double
        || value instanceof BigDecimal
        || value instanceof Boolean
        || value instanceof Integer;
  }

  /**
   * Writes an event's value behind its one-byte tag, below {@link #FIRST_FREE_TAG}.
   *
   * @throws IOException for a value that is not {@link #isValue}
   */
  public static void writeValue(Object value, DataOutputView out) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof String s) {
      writeString(s, out);
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (value instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (value instanceof BigDecimal d) {
      out.writeByte(DECIMAL);
      out.writeInt(d.scale());
      byte[] unscaled = d.unscaledValue().toByteArray();
      out.writeInt(unscaled.length);
      out.write(unscaled);
    } else if (value instanceof Boolean b) {
      out.writeByte(BOOLEAN);
      out.writeBoolean(b);
    } else if (value instanceof Integer n) {
      out.writeByte(INT);
      out.writeInt(n);
    } else {
      throw new IOException("an event value of unexpected type " + value.getClass().getName());
    }
  }

  @Override
  public Event deserialize(DataInputView in) throws IOException {
    String stream = in.readUTF();
    long timestamp = in.readLong();
    Object[] values = new Object[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = readValue(in);
    }
    return new Event(stream, timestamp, values);
  }

  static Object readValue(DataInputView in) throws IOException {
    return readValue(in.readByte(), in);
  }

  /** The value {@link #writeValue} wrote behind {@code tag}, which has just been read. */
  public static Object readValue(byte tag, DataInputView in) throws IOException {
    return switch (tag) {
      case NULL -> null;
      case STRING -> in.readUTF();
      case LATIN1 -> readLatin1(in);
      case UTF8 -> readUtf8(in);
      case CHARS -> readChars(in);
      case LONG -> in.readLong();
      case DOUBLE -> in.readDouble();
      case DECIMAL -> {
        int scale = in.readInt();
        byte[] unscaled = new byte[in.readInt()];
        in.readFully(unscaled);
        yield new BigDecimal(new BigInteger(unscaled), scale);
      }
      case BOOLEAN -> in.readBoolean();
      case INT -> in.readInt();
      default -> throw new IOException("corrupt event: value tag " + tag);
    };
  }

  /** A string behind its tag: {@link #LATIN1} where it can, {@link #UTF8} otherwise. */
  public static void writeString(String s, DataOutputView out) throws IOException {
    int n = s.length();
    boolean latin1 = n <= LATIN1_MAX_LENGTH;
    for (int i = 0; latin1 && i < n; i++) {
      latin1 = s.charAt(i) <= 0xFF;
    }
    if (latin1) {
      out.writeByte(LATIN1);
      out.writeShort(n);
      out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    } else if (hasUnpairedSurrogate(s)) {
      out.writeByte(CHARS);
      out.writeInt(n);
      out.writeChars(s);
    } else {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      out.writeByte(UTF8);
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  private static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static String readChars(DataInputView in) throws IOException {
    char[] chars = new char[in.readInt()];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = in.readChar();
    }
    return new String(chars);
  }

  /** A string written by {@link #writeString}. */
  public static String readString(DataInputView in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case LATIN1 -> readLatin1(in);
      case UTF8 -> readUtf8(in);
      case CHARS -> readChars(in);
      case STRING -> in.readUTF();
      default -> throw new IOException("corrupt string: tag " + tag);
    };
  }

  private static String readLatin1(DataInputView in) throws IOException {
    byte[] bytes = new byte[in.readUnsignedShort()];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static String readUtf8(DataInputView in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public TypeSerializerSnapshot<Event> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Snapshot for state compatibility checks (no configuration: a singleton). */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Event> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }

  /** The type information that makes Flink use this serializer. */
  public static final TypeInformation<Event> TYPE_INFO =
      new SingletonTypeInformation<>(Event.class, INSTANCE);
}
