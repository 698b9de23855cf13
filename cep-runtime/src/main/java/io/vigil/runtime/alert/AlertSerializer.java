package io.vigil.runtime.alert;

import io.vigil.runtime.matcher.state.EventSerializer;
import io.vigil.runtime.matcher.state.SingletonSerializer;
import io.vigil.runtime.matcher.state.SingletonTypeInformation;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * {@link Alert}s between the job's tasks (matcher → alert sink, matcher → the DRL rule sets that
 * read alerts). As a record of maps and lists of values typed {@code Object}, an alert went through
 * Flink's generic Kryo path, which took nearly half of the alert sink's thread. Here the values of
 * its key and events are written as a state's events write theirs ({@link EventSerializer}:
 * strings, longs, ints, doubles, decimals with their scale, booleans, null), and the maps and lists
 * around them behind tags of their own, in their order. Any other value is written with Java
 * serialization.
 */
public final class AlertSerializer extends SingletonSerializer<Alert> {

  private static final long serialVersionUID = 1L;

  public static final AlertSerializer INSTANCE = new AlertSerializer();

  /** The type information that makes Flink use this serializer. */
  public static final TypeInformation<Alert> TYPE_INFO =
      new SingletonTypeInformation<>(Alert.class, INSTANCE);

  // Behind the tags of events' values (EventSerializer), the values around them.
  private static final byte MAP = EventSerializer.FIRST_FREE_TAG;
  private static final byte LIST = (byte) (EventSerializer.FIRST_FREE_TAG + 1);
  private static final byte SERIALIZED = (byte) (EventSerializer.FIRST_FREE_TAG + 2);

  private static final Alert.Kind[] KINDS = Alert.Kind.values();

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public Alert createInstance() {
    return new Alert(
        "",
        "",
        0,
        Alert.Kind.MATCH,
        "",
        "",
        "",
        List.of(),
        Optional.empty(),
        Map.of(),
        0,
        0,
        0,
        Map.of(),
        Map.of(),
        false);
  }

  @Override
  public Alert copy(Alert from) {
    return from;
  }

  @Override
  public void serialize(Alert alert, DataOutputView out) throws IOException {
    EventSerializer.writeString(alert.alertId(), out);
    EventSerializer.writeString(alert.ruleId(), out);
    out.writeLong(alert.ruleVersion());
    out.writeByte(alert.kind().ordinal());
    writeValue(alert.severity(), out);
    writeValue(alert.title(), out);
    writeValue(alert.message(), out);
    writeValue(alert.tags(), out);
    writeValue(alert.owner().orElse(null), out);
    writeValue(alert.key(), out);
    out.writeLong(alert.startTime());
    out.writeLong(alert.endTime());
    out.writeLong(alert.detectedAt());
    writeValue(alert.events(), out);
    writeValue(alert.dropped(), out);
    out.writeBoolean(alert.truncated());
  }

  @Override
  @SuppressWarnings("unchecked")
  public Alert deserialize(DataInputView in) throws IOException {
    String alertId = EventSerializer.readString(in);
    String ruleId = EventSerializer.readString(in);
    long ruleVersion = in.readLong();
    int kind = in.readByte();
    if (kind < 0 || kind >= KINDS.length) {
      throw new IOException("corrupt alert: kind " + kind);
    }
    String severity = (String) readValue(in);
    String title = (String) readValue(in);
    String message = (String) readValue(in);
    List<String> tags = (List<String>) readValue(in);
    Optional<String> owner = Optional.ofNullable((String) readValue(in));
    Map<String, Object> key = (Map<String, Object>) readValue(in);
    long startTime = in.readLong();
    long endTime = in.readLong();
    long detectedAt = in.readLong();
    Map<String, List<Map<String, Object>>> events =
        (Map<String, List<Map<String, Object>>>) readValue(in);
    Map<String, Integer> dropped = (Map<String, Integer>) readValue(in);
    boolean truncated = in.readBoolean();
    return new Alert(
        alertId,
        ruleId,
        ruleVersion,
        KINDS[kind],
        severity,
        title,
        message,
        tags,
        owner,
        key,
        startTime,
        endTime,
        detectedAt,
        events,
        dropped,
        truncated);
  }

  private static void writeValue(Object value, DataOutputView out) throws IOException {
    if (EventSerializer.isValue(value)) {
      EventSerializer.writeValue(value, out);
    } else if (value instanceof Map<?, ?> map) {
      out.writeByte(MAP);
      out.writeInt(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        writeValue(e.getKey(), out);
        writeValue(e.getValue(), out);
      }
    } else if (value instanceof List<?> list) {
      out.writeByte(LIST);
      out.writeInt(list.size());
      for (Object element : list) {
        writeValue(element, out);
      }
    } else if (value instanceof Serializable serializable) {
      out.writeByte(SERIALIZED);
      byte[] bytes = InstantiationUtil.serializeObject(serializable);
      out.writeInt(bytes.length);
      out.write(bytes);
    } else {
      throw new IOException("an alert holds a value of " + value.getClass() + ", not serializable");
    }
  }

  private static Object readValue(DataInputView in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case MAP -> {
        int n = in.readInt();
        Map<Object, Object> map = new LinkedHashMap<>(Math.max(4, n * 4 / 3 + 1));
        for (int i = 0; i < n; i++) {
          Object k = readValue(in);
          map.put(k, readValue(in));
        }
        yield map;
      }
      case LIST -> {
        int n = in.readInt();
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(readValue(in));
        }
        yield list;
      }
      case SERIALIZED -> {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try {
          yield InstantiationUtil.deserializeObject(
              bytes, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
          throw new IOException("corrupt alert: " + e.getMessage(), e);
        }
      }
      default -> EventSerializer.readValue(tag, in);
    };
  }

  @Override
  public TypeSerializerSnapshot<Alert> snapshotConfiguration() {
    return new Snapshot();
  }

  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Alert> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
