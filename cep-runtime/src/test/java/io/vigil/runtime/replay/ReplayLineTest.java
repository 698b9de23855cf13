package io.vigil.runtime.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ReplayLineTest {

  @Test
  void aLineHoldsItsTextAsUtf8() {
    ReplayLine line = new ReplayLine(ReplayLine.Kind.LATE, 0, "", "", "late event: é 😀");
    assertThat(line.utf8()).isEqualTo("late event: é 😀".getBytes(StandardCharsets.UTF_8));
    assertThat(line.text()).isEqualTo("late event: é 😀");
    assertThat(line)
        .isEqualTo(
            new ReplayLine(
                ReplayLine.Kind.LATE,
                0,
                "",
                "",
                "late event: é 😀".getBytes(StandardCharsets.UTF_8)))
        .hasSameHashCodeAs(new ReplayLine(ReplayLine.Kind.LATE, 0, "", "", "late event: é 😀"))
        .isNotEqualTo(new ReplayLine(ReplayLine.Kind.LATE, 0, "", "", "late event: e"));
  }

  @Test
  void aLineTravelsToTheWriterAsItsFieldsWithoutKryo() throws Exception {
    TypeInformation<ReplayLine> type = TypeInformation.of(ReplayLine.class);
    assertThat(type).isNotInstanceOf(GenericTypeInfo.class);
    TypeSerializer<ReplayLine> serializer = type.createSerializer(new SerializerConfigImpl());
    ReplayLine alert = new ReplayLine(ReplayLine.Kind.ALERT, 42, "r", "a1", "{\"k\":\"ü\"}");
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(alert, out);
    ReplayLine back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back).isEqualTo(alert);
    assertThat(back.text()).isEqualTo("{\"k\":\"ü\"}");
  }
}
