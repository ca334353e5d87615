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
 * 100-character string, a ~100-byte JSON object or 100 random bytes, in JSON and in MessagePack;
 * by this project's codec ({@code OURS}) and, on identical messages, by ably-java 1.5.0's own
 * serialisers ({@code ABLY_JAVA}: {@code ProtocolSerializer.writeMsgpack/readMsgpack} and {@code
 * writeJSON/fromJSON}), so that the two read line by line. Both sides work on messages already in
 * wire form (payload encodings applied). Both decode the very same frame (this codec's encoding, as
 * the server sends it); ably-java's JSON decoder takes a {@code String}, so its decode includes the
 * UTF-8 conversion its transport would otherwise do. ably-java's MessagePack encoder writes only the
 * fields a client sends (no id, connectionId, timestamp or channelSerial), so its frames are smaller:
 * {@link #main} prints the sizes.
 *
 * <p>Run: {@code java -jar itest/benchmarks/target/benchmarks.jar CodecBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(3)
public class CodecBenchmark {
  /** The payload kinds measured. */
  public enum Data {
    STRING,
    JSON,
    BINARY
  }

  /** Whose serialisation is measured. */
  public enum Library {
    OURS,
    ABLY_JAVA
  }

  @Param({"OURS", "ABLY_JAVA"})
  public Library library;

  @Param({"JSON", "MSGPACK"})
  public WireFormat format;

  @Param({"1", "10"})
  public int messages;

  @Param({"STRING", "JSON", "BINARY"})
  public Data data;

  private ProtocolCodec codec;
  private ProtocolMessage message;
  private byte[] encoded;
  private io.ably.lib.types.ProtocolMessage sdkMessage;

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
    sdkMessage = toAblyJava(message);
  }

  /** The same ProtocolMessage as ably-java's model: the same fields, the same wire-form data. */
  static io.ably.lib.types.ProtocolMessage toAblyJava(ProtocolMessage pm) {
    io.ably.lib.types.ProtocolMessage sdk =
        new io.ably.lib.types.ProtocolMessage(io.ably.lib.types.ProtocolMessage.Action.message, pm.channel());
    sdk.id = pm.id();
    sdk.connectionId = pm.connectionId();
    sdk.msgSerial = pm.msgSerial();
    sdk.timestamp = pm.timestampMillis();
    sdk.channelSerial = pm.channelSerial();
    io.ably.lib.types.Message[] messages = new io.ably.lib.types.Message[pm.messages().size()];
    for (int i = 0; i < messages.length; i++) {
      Message m = pm.messages().get(i);
      Object data;
      if (m.data() instanceof MessageData.Text t) {
        data = t.value();
      } else if (m.data() instanceof MessageData.Json j) {
        data = j.json();
      } else {
        data = m.data() == null ? null : m.data().toByteArray();
      }
      io.ably.lib.types.Message sm = new io.ably.lib.types.Message(m.name(), data);
      sm.encoding = m.encoding();
      messages[i] = sm;
    }
    sdk.messages = messages;
    return sdk;
  }

  private byte[] sdkEncode() {
    try {
      return format == WireFormat.MSGPACK
          ? io.ably.lib.types.ProtocolSerializer.writeMsgpack(sdkMessage)
          : io.ably.lib.types.ProtocolSerializer.writeJSON(sdkMessage);
    } catch (io.ably.lib.types.AblyException e) {
      throw new IllegalStateException(e);
    }
  }

  private Object sdkDecode() {
    try {
      return format == WireFormat.MSGPACK
          ? io.ably.lib.types.ProtocolSerializer.readMsgpack(encoded)
          : io.ably.lib.types.ProtocolSerializer.fromJSON(new String(encoded, StandardCharsets.UTF_8));
    } catch (io.ably.lib.types.AblyException e) {
      throw new IllegalStateException(e);
    }
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
    return library == Library.OURS ? codec.encode(message) : sdkEncode();
  }

  /** Decodes a frame to a ProtocolMessage. */
  @Benchmark
  public Object decode() {
    return library == Library.OURS ? codec.decode(encoded) : sdkDecode();
  }

  /** The frame size, printed once so the figures can be read per byte. */
  public static void main(String[] args) {
    CodecBenchmark b = new CodecBenchmark();
    for (Library l : Library.values()) {
      for (WireFormat f : WireFormat.values()) {
        for (Data d : Data.values()) {
          b.library = l;
          b.format = f;
          b.data = d;
          b.messages = 1;
          b.setUp();
          byte[] frame = b.encode();
          String text = f == WireFormat.JSON ? new String(frame, StandardCharsets.UTF_8) : "";
          System.out.println(l + " " + f + " " + d + " " + frame.length + " bytes " + text);
        }
      }
    }
  }
}
