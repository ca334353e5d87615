package io.ably.benchmarks;

import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.wire.Action;
import io.ably.wire.PayloadEncoder;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode of one MESSAGE ProtocolMessage as the engine sees it: 1 or 10 messages with a
 * 100-character string, a ~100-byte JSON object or 100 random bytes, in JSON and in MessagePack.
 * Run: {@code java -jar itest/benchmarks/target/benchmarks.jar CodecBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  /** The payload kinds measured. */
  public enum Data {
    STRING,
    JSON,
    BINARY
  }

  @Param({"JSON", "MSGPACK"})
  public WireFormat format;

  @Param({"1", "10"})
  public int messages;

  @Param({"STRING", "JSON", "BINARY"})
  public Data data;

  private ProtocolCodec codec;
  private ProtocolMessage message;
  private byte[] encoded;

  /** Builds the message as the engine would send it (payload already in wire form). */
  @Setup
  public void setUp() {
    codec = ProtocolCodec.of(format);
    Random random = new Random(42);
    List<Message> list = new ArrayList<>(messages);
    for (int i = 0; i < messages; i++) {
      Message user = Message.of("event-" + i, payload(random));
      list.add(PayloadEncoder.encode(user, null));
    }
    message =
        ProtocolMessage.builder(Action.MESSAGE)
            .channel("benchmark:channel")
            .id("conn-1234abcd:17")
            .connectionId("conn-1234abcd")
            .msgSerial(17L)
            .timestampMillis(1_763_900_000_000L)
            .channelSerial("01763900000000-000@abcdef:017")
            .messages(list)
            .build();
    encoded = codec.encode(message);
  }

  private MessageData payload(Random random) {
    return switch (data) {
      case STRING -> MessageData.text("x".repeat(100));
      case JSON ->
          MessageData.json(
              "{\"symbol\":\"ABCD\",\"bid\":101.25,\"ask\":101.5,\"size\":1200,\"venue\":\"XLON\",\"seq\":42}");
      case BINARY -> {
        byte[] bytes = new byte[100];
        random.nextBytes(bytes);
        yield MessageData.binary(bytes);
      }
    };
  }

  /** Encodes the ProtocolMessage to a frame. */
  @Benchmark
  public byte[] encode() {
    return codec.encode(message);
  }

  /** Decodes a frame to a ProtocolMessage. */
  @Benchmark
  public ProtocolMessage decode() {
    return codec.decode(encoded);
  }

  /** The frame size, printed once so the figures can be read per byte. */
  public static void main(String[] args) {
    CodecBenchmark b = new CodecBenchmark();
    for (WireFormat f : WireFormat.values()) {
      for (Data d : Data.values()) {
        b.format = f;
        b.data = d;
        b.messages = 1;
        b.setUp();
        String text = f == WireFormat.JSON ? new String(b.encoded, StandardCharsets.UTF_8) : "";
        System.out.println(f + " " + d + " " + b.encoded.length + " bytes " + text);
      }
    }
  }
}
