package io.vigil.compiler.benchmark;

import io.vigil.compiler.event.EventDecoder;
import io.vigil.dsl.schema.StreamSchema;
import io.vigil.dsl.schema.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A Kafka record's value decoded into an event, as the live job's router does: straight from the
 * value's UTF-8 bytes, against the value made a string first and the string decoded. Both on the
 * same 8 payments (the rule-family benchmark's shape: nine strings, a decimal, an ISO-8601
 * timestamp, a few with non-ASCII text). See benchmarks/compiler/README.md for the command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ValueDecodingBenchmark {

  static final int VALUES = 8;

  private static final List<String> STRINGS =
      List.of(
          "eventId", "cardId", "accountId", "currency", "merchant", "country", "status", "channel");

  final EventDecoder decoder = new EventDecoder(payments());
  final byte[][] values = new byte[VALUES][];

  public ValueDecodingBenchmark() {
    String[] merchants = {"m-188", "m-7", "café-12", "m-90210"};
    for (int i = 0; i < VALUES; i++) {
      String json =
          "{\"eventId\":\"p-"
              + (1_000_000 + i * 7919)
              + "\",\"cardId\":\"card-"
              + (1532 + i * 131)
              + "\",\"accountId\":\"acct-"
              + (1532 + i * 131)
              + "\",\"amount\":"
              + (244.12 + i * 17.5)
              + ",\"currency\":\"EUR\",\"merchant\":\""
              + merchants[i % merchants.length]
              + "\",\"country\":\"ES\",\"status\":\""
              + (i % 3 == 0 ? "DECLINED" : "APPROVED")
              + "\",\"channel\":\"POS\",\"ts\":\"2026-11-25T09:00:0"
              + i
              + ".013Z\"}";
      values[i] = json.getBytes(StandardCharsets.UTF_8);
    }
  }

  private static StreamSchema payments() {
    List<StreamSchema.Field> fields = new java.util.ArrayList<>();
    for (String name : STRINGS) {
      fields.add(new StreamSchema.Field(name, Type.STRING, fields.size()));
    }
    fields.add(new StreamSchema.Field("amount", Type.DECIMAL, fields.size()));
    fields.add(new StreamSchema.Field("ts", Type.TIMESTAMP, fields.size()));
    return new StreamSchema("payments", fields, fields.size() - 1, Duration.ofSeconds(5));
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public void fromBytes(Blackhole out) {
    for (byte[] value : values) {
      out.consume(decoder.decode(value));
    }
  }

  @Benchmark
  @OperationsPerInvocation(VALUES)
  public void throughText(Blackhole out) {
    for (byte[] value : values) {
      out.consume(decoder.decode(new String(value, StandardCharsets.UTF_8)));
    }
  }
}
