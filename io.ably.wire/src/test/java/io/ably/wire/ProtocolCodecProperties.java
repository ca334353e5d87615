package io.ably.wire;

import static io.ably.testsupport.Generators.lists;
import static io.ably.testsupport.Generators.maps;
import static io.ably.testsupport.Generators.orNull;
import static io.ably.testsupport.Generators.sometimes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.quicktheories.generators.Generate.byteArrays;
import static org.quicktheories.generators.Generate.bytes;
import static org.quicktheories.generators.Generate.characters;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.enumValues;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONWriter;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.message.MessageAction;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.testsupport.Generators;
import io.ably.testsupport.PropertyCheck;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

/**
 * Properties of both codecs over generated ProtocolMessages and generated hostile input (TR4,
 * TM2, RSL4c, RSL4d, RSL6a3), checked with QuickTheories.
 */
class ProtocolCodecProperties {
  private static final ProtocolCodec JSON_CODEC = JsonProtocolCodec.INSTANCE;
  private static final ProtocolCodec MSGPACK = MsgpackProtocolCodec.INSTANCE;
  private static final List<ProtocolCodec> CODECS = List.of(JSON_CODEC, MSGPACK);
  private static final Duration NEVER_HANG = Duration.ofSeconds(10);

  // ---- round trips ---------------------------------------------------------------------------

  @Test
  @Tag("TR4")
  @Tag("RSL4c")
  @Tag("RSL4d")
  void decodingAnEncodedMessageGivesItBackInBothFormats() {
    PropertyCheck.forAll(
        400,
        protocolMessages(),
        m -> {
          for (ProtocolCodec codec : CODECS) {
            assertEquals(m, codec.decode(codec.encode(m)), codec.toString());
          }
        });
  }

  @Test
  @Tag("RSL6a3")
  void jsonAndMsgpackDecodeTheSameMessageToEqualValues() {
    PropertyCheck.forAll(
        400,
        looseProtocolMessages(),
        m -> {
          ProtocolMessage viaJson = JSON_CODEC.decode(JSON_CODEC.encode(m));
          ProtocolMessage viaMsgpack = MSGPACK.decode(MSGPACK.encode(m));
          assertEquals(viaJson, viaMsgpack);
          // Decoded values are normal forms: another trip changes nothing.
          assertEquals(viaJson, MSGPACK.decode(MSGPACK.encode(viaJson)));
          assertEquals(viaJson, JSON_CODEC.decode(JSON_CODEC.encode(viaMsgpack)));
        });
  }

  record RestBodies(List<Message> messages, List<PresenceMessage> presence) {}

  @Test
  @Tag("TM2")
  void restBodiesRoundTripInBothFormats() {
    PropertyCheck.forAll(
        200,
        lists(messages(), 0, 4).zip(lists(presenceMessages(), 0, 4), RestBodies::new),
        bodies -> {
          for (ProtocolCodec codec : CODECS) {
            assertEquals(bodies.messages(), codec.decodeMessages(codec.encodeMessages(bodies.messages())));
            assertEquals(bodies.presence(), codec.decodePresence(codec.encodePresence(bodies.presence())));
            for (Message msg : bodies.messages()) {
              assertEquals(msg, codec.decodeMessage(codec.encodeMessage(msg)));
            }
          }
        });
  }

  record Framed(ProtocolMessage message, int before, int after) {}

  @Test
  void decodingFromByteBuffersAndOffsetsMatchesDecodingArrays() {
    PropertyCheck.forAll(
        100,
        protocolMessages().zip(range(0, 16), range(0, 16), Framed::new),
        f -> {
          ProtocolMessage m = f.message();
          int before = f.before();
          int after = f.after();
          for (ProtocolCodec codec : CODECS) {
            byte[] frame = codec.encode(m);
            byte[] framed = new byte[before + frame.length + after];
            Arrays.fill(framed, (byte) '#');
            System.arraycopy(frame, 0, framed, before, frame.length);
            assertEquals(m, codec.decode(framed, before, frame.length));
            assertEquals(m, codec.decode(ByteBuffer.wrap(framed, before, frame.length)));
            ByteBuffer direct = ByteBuffer.allocateDirect(framed.length).put(framed);
            direct.position(before).limit(before + frame.length);
            assertEquals(m, codec.decode(direct));
          }
        });
  }

  /** One frame of a connection: a message, whole or damaged, in a heap or a direct buffer. */
  record Frame(ProtocolMessage message, int damage, int cut, boolean direct) {
    byte[] bytes(ProtocolCodec codec) {
      byte[] whole = codec.encode(message);
      return switch (damage) {
        case 0 -> whole;
        case 1 -> Arrays.copyOf(whole, cut % whole.length); // truncated
        case 2 -> Arrays.copyOf(whole, whole.length + 1 + cut % 3); // trailing bytes
        default -> {
          byte[] flipped = whole.clone();
          flipped[cut % whole.length] ^= (byte) (1 + cut % 255);
          yield flipped;
        }
      };
    }

    ByteBuffer buffer(byte[] bytes) {
      return direct ? ByteBuffer.allocateDirect(bytes.length).put(bytes).flip() : ByteBuffer.wrap(bytes);
    }
  }

  private static Gen<Frame> frames() {
    Gen<ProtocolMessage> large =
        range(0, 70_000).map(n -> ProtocolMessage.builder(Action.MESSAGE).channel("c".repeat(n)).build());
    Gen<ProtocolMessage> messages = frequency(Pair.of(8, protocolMessages()), Pair.of(1, large));
    Gen<Integer> damage = frequency(Pair.of(6, constant(0)), Pair.of(1, constant(1)),
        Pair.of(1, constant(2)), Pair.of(1, constant(3)));
    return messages.zip(damage, range(0, Integer.MAX_VALUE), booleans().all(), Frame::new);
  }

  @Test
  void aFrameDecoderKeptForAConnectionDecodesEveryFrameAsTheCodecDoesEvenAfterBadFrames() {
    PropertyCheck.forAll(
        150,
        lists(frames(), 1, 12),
        frames -> {
          for (ProtocolCodec codec : CODECS) {
            FrameDecoder decoder = codec.newFrameDecoder();
            for (Frame f : frames) {
              byte[] bytes = f.bytes(codec);
              Object expected = outcome(() -> codec.decode(bytes.clone()));
              ByteBuffer buffer = f.buffer(bytes);
              Object actual = outcome(() -> decoder.decode(buffer));
              assertEquals(expected, actual, codec + " " + f);
              if (actual instanceof ProtocolMessage) {
                assertEquals(0, buffer.remaining(), "the frame is consumed");
              }
            }
          }
        });
  }

  @Test
  void aFrameDecoderThatReusesRepeatedStringsDecodesEachFrameAsAFreshDecodeDoes() {
    // Values from small pools, with same-length and prefix variants, so that the decoder's reuse
    // of the last channel, connection id, name, clientId and encoding is hit and missed both ways.
    Gen<String> channels = pick(Arrays.asList("a", "b", "ab", "ba", "abc", "\u00e9t\u00e9", "x".repeat(200)));
    Gen<String> ids = pick(Arrays.asList("c1", "c2", "c12", "c21"));
    Gen<String> names = orNull(25, pick(Arrays.asList("n1", "n2", "n", "n11", "")));
    Gen<String> encodings = orNull(25, pick(Arrays.asList("e1", "e2", "e12")));
    Gen<ProtocolMessage> messages =
        channels.zip(ids, names, names, encodings,
            (channel, id, name, clientId, encoding) ->
                ProtocolMessage.builder(Action.MESSAGE).channel(channel).connectionId(id).id(id + ":0")
                    .messages(List.of(Message.builder().name(name).clientId(clientId).connectionId(id)
                        .encoding(encoding).text("d").build()))
                    .build());
    PropertyCheck.forAll(
        300,
        lists(messages, 2, 16),
        frames -> {
          for (ProtocolCodec codec : CODECS) {
            FrameDecoder decoder = codec.newFrameDecoder();
            for (ProtocolMessage m : frames) {
              byte[] bytes = codec.encode(m);
              assertEquals(codec.decode(bytes.clone()), decoder.decode(ByteBuffer.wrap(bytes)), codec + " " + m);
            }
          }
        });
  }

  @Test
  void aFrameEncoderKeptForAConnectionWritesEveryMessageAsTheCodecDoes() {
    PropertyCheck.forAll(
        150,
        lists(frames(), 1, 12),
        frames -> {
          for (ProtocolCodec codec : CODECS) {
            FrameEncoder encoder = codec.newFrameEncoder();
            for (Frame f : frames) {
              java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
              try {
                encoder.encode(f.message(), out);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              assertEquals(
                  HexFormat.of().formatHex(codec.encode(f.message())), HexFormat.of().formatHex(out.toByteArray()),
                  codec.toString());
            }
          }
        });
  }

  @Test
  void aFrameEncoderWritesNothingForAMessageItCannotEncodeAndGoesOnWithTheNext() throws Exception {
    ProtocolMessage bad =
        ProtocolMessage.builder(Action.MESSAGE).channel("c")
            .messages(List.of(Message.builder().name("n").data(MessageData.json("{oops")).build())).build();
    ProtocolMessage good = ProtocolMessage.builder(Action.MESSAGE).channel("c")
        .messages(List.of(Message.builder().name("n").data(MessageData.text("fine")).build())).build();
    for (ProtocolCodec codec : CODECS) {
      FrameEncoder encoder = codec.newFrameEncoder();
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      assertThrows(io.ably.api.AblyException.class, () -> encoder.encode(bad, out));
      assertEquals(0, out.size(), codec.toString());
      encoder.encode(good, out);
      assertEquals(HexFormat.of().formatHex(codec.encode(good)), HexFormat.of().formatHex(out.toByteArray()));
    }
  }

  /**
   * The message decoded, or the error code of the WireFormatException; anything else fails. Not
   * the exception's text: for a damaged JSON frame, the parser may fail at a different point from
   * one call to the next on the same bytes (an ArrayIndexOutOfBoundsException inside fastjson2,
   * whose message the JIT drops once that throw is hot, or the decoder's own end-of-input check),
   * so only "the same message, or a protocol error" is a property of the decoder.
   */
  private static Object outcome(java.util.function.Supplier<ProtocolMessage> decode) {
    try {
      return decode.get();
    } catch (WireFormatException e) {
      return "WireFormatException " + e.errorInfo().code();
    }
  }

  // ---- hostile input -------------------------------------------------------------------------

  /** Any bytes, up to {@code maxSize} of them, printed as hex in a counterexample. */
  private static Gen<byte[]> anyBytes(int maxSize) {
    return byteArrays(range(0, maxSize), bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
        .describedAs(b -> HexFormat.of().formatHex(b));
  }

  @Test
  void arbitraryBytesDecodeOrFailWithWireFormatExceptionOnly() {
    PropertyCheck.forAll(
        1_000,
        anyBytes(64),
        bytes -> assertTimeoutPreemptively(NEVER_HANG, () -> decodesOrRejectsEverywhere(bytes)));
  }

  record Mutation(ProtocolMessage message, long seed) {}

  @Test
  void mutatedEncodingsDecodeOrFailWithWireFormatExceptionOnly() {
    PropertyCheck.forAll(
        300,
        protocolMessages().zip(longs().all(), Mutation::new),
        mutation -> {
          Random random = new Random(mutation.seed());
          List<byte[]> mutants = new ArrayList<>();
          for (ProtocolCodec codec : CODECS) {
            byte[] frame = codec.encode(mutation.message());
            for (int i = 0; i < 5; i++) {
              mutants.add(mutate(frame, random));
            }
          }
          assertTimeoutPreemptively(
              NEVER_HANG, () -> mutants.forEach(ProtocolCodecProperties::decodesOrRejectsEverywhere));
        });
  }

  @Test
  void everyProperPrefixOfAnEncodingIsRejected() {
    PropertyCheck.forAll(
        50,
        protocolMessages(),
        m -> {
          for (ProtocolCodec codec : CODECS) {
            byte[] frame = codec.encode(m);
            for (int length = 0; length < frame.length; length++) {
              int n = length;
              assertThrows(
                  WireFormatException.class, () -> codec.decode(frame, 0, n), codec + " prefix " + n);
            }
          }
        });
  }

  /** A msgpack header claiming a huge size, placed somewhere in a frame, then a few bytes. */
  record HugeHeader(byte[] header, int place, byte[] tail) {
    @Override
    public String toString() {
      return "HugeHeader[header=" + HexFormat.of().formatHex(header) + ", place=" + place
          + ", tail=" + HexFormat.of().formatHex(tail) + "]";
    }
  }

  @Test
  void msgpackHeadersClaimingMoreThanTheInputFailFast() {
    PropertyCheck.forAll(
        200,
        hugeHeaders().zip(range(0, 4), anyBytes(8), HugeHeader::new),
        h -> {
          String prefix =
              switch (h.place()) {
                case 0 -> ""; // the top-level value itself
                case 1 -> "81a86d65737361676573"; // {messages: ...}
                case 2 -> "81a26964"; // {id: ...}
                case 3 -> "81a86d657373616765739181a464617461"; // {messages: [{data: ...}]}
                default -> "81a7756e6b6e6f776e"; // {unknown: ...}, skipped
              };
          byte[] start = HexFormat.of().parseHex(prefix);
          byte[] header = h.header();
          byte[] tail = h.tail();
          byte[] frame = new byte[start.length + header.length + tail.length];
          System.arraycopy(start, 0, frame, 0, start.length);
          System.arraycopy(header, 0, frame, start.length, header.length);
          System.arraycopy(tail, 0, frame, start.length + header.length, tail.length);
          assertTimeoutPreemptively(
              Duration.ofSeconds(2),
              () -> {
                assertThrows(WireFormatException.class, () -> MSGPACK.decode(frame));
                assertThrows(WireFormatException.class, () -> MSGPACK.decodeMessage(frame));
                assertThrows(WireFormatException.class, () -> MSGPACK.decodeMessages(frame));
              });
        });
  }

  private static Gen<byte[]> hugeHeaders() {
    Gen<Integer> kind = pick(List.of(0xdd, 0xdf, 0xdb, 0xc6)); // array32 map32 str32 bin32
    Gen<Long> claimed =
        oneOf(
            pick(List.of(1L << 31, (1L << 31) - 1, (1L << 32) - 1, 1L << 30)),
            longs().between(64, (1L << 32) - 1));
    return kind.zip(
        claimed,
        (k, n) ->
            new byte[] {
              (byte) (int) k, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) (long) n
            });
  }

  private static void decodesOrRejectsEverywhere(byte[] bytes) {
    for (ProtocolCodec codec : CODECS) {
      decodesOrRejects(() -> reencodes(codec, codec.decode(bytes)));
      decodesOrRejects(() -> codec.decodeMessage(bytes));
      decodesOrRejects(() -> codec.decodeMessages(bytes));
      decodesOrRejects(() -> codec.decodePresence(bytes));
    }
  }

  /** Whatever a codec accepts, both codecs can write back. */
  private static void reencodes(ProtocolCodec codec, ProtocolMessage m) {
    for (ProtocolCodec other : CODECS) {
      other.encode(m);
    }
    codec.encode(m);
  }

  private static void decodesOrRejects(Runnable decode) {
    try {
      decode.run();
    } catch (WireFormatException expected) {
      // the only failure allowed
    }
  }

  private static byte[] mutate(byte[] frame, Random r) {
    byte[] b = frame.clone();
    switch (r.nextInt(5)) {
      case 0 -> {
        for (int i = 0, n = 1 + r.nextInt(3); i < n && b.length > 0; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      }
      case 1 -> {
        return Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
      }
      case 2 -> {
        int at = r.nextInt(b.length + 1);
        byte[] extra = new byte[1 + r.nextInt(6)];
        r.nextBytes(extra);
        byte[] out = new byte[b.length + extra.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(b, at, out, at + extra.length, b.length - at);
        return out;
      }
      case 3 -> {
        // Syntax bytes of either format in a random place.
        byte[] special = {'{', '}', '[', ']', '"', ':', ',', '\\', 'n', '-', '1', '.', 'e',
            (byte) 0xc1, (byte) 0xdd, (byte) 0xdf, (byte) 0xdb, (byte) 0xc6, (byte) 0xff,
            (byte) 0x9f, (byte) 0x8f, (byte) 0xcb, (byte) 0xd3};
        if (b.length > 0) {
          b[r.nextInt(b.length)] = special[r.nextInt(special.length)];
        }
        return b;
      }
      default -> {
        if (b.length < 2) {
          return b;
        }
        int from = r.nextInt(b.length);
        int len = 1 + r.nextInt(b.length - from);
        byte[] out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, from + len);
        System.arraycopy(b, from, out, from + len, b.length - from);
        return out;
      }
    }
  }

  // ---- generators ----------------------------------------------------------------------------

  /** Text without lone surrogates, with characters JSON must escape. */
  private static Gen<String> texts() {
    Gen<Character> chars =
        oneOf(
            characters(' ', '~'),
            characters('\u0000', '\u001f'),
            characters('\u00a0', '\u07ff'),
            characters('\u2020', '\u2030'),
            characters('\u4e00', '\u4e20'));
    return Generators.strings(chars, 12);
  }

  private static Gen<String> optionalTexts() {
    return orNull(40, texts());
  }

  /** Encodings that do not end in {@code base64}, which the model never carries. */
  private static Gen<String> encodings() {
    return orNull(
        50,
        pick(
            List.of(
                "utf-8", "json", "cipher+aes-128-cbc", "utf-8/cipher+aes-256-cbc", "json/utf-8",
                "vcdiff", "base64/utf-8")));
  }

  private static Gen<MessageData> data() {
    Gen<MessageData> text = texts().map(MessageData::text);
    Gen<MessageData> binary = anyBytes(40).map(MessageData::binary);
    return frequency(
        Pair.of(1, constant((MessageData) null)),
        Pair.of(3, text),
        Pair.of(3, binary),
        Pair.of(1, constant(() -> MessageData.binary(new byte[0]))));
  }

  /** A JSON value tree of maps, lists, strings, longs, doubles, booleans. */
  private static Gen<Object> jsonValues(int depth) {
    Gen<Object> leaf =
        oneOf(
            texts().map(t -> (Object) t),
            longs().all().map(l -> (Object) l),
            doubles()
                .between(-1e6, 1e6)
                .map(d -> Math.round(d * 1000) / 1000.0) // three decimals
                .map(d -> (Object) (d == 0.0 ? 0.125 : d)),
            booleans().all().map(b -> (Object) b));
    if (depth == 0) {
      return leaf;
    }
    Gen<Object> inner = jsonValues(depth - 1);
    return oneOf(leaf, lists(inner, 0, 3).map(l -> (Object) l), jsonObjects(inner).map(o -> (Object) o));
  }

  private static Gen<Map<String, Object>> jsonObjects(Gen<Object> values) {
    return maps(texts(), values, 3).map(m -> new LinkedHashMap<>(m));
  }

  /** Extras in canonical compact form, which decoding reproduces exactly. */
  private static Gen<String> extras() {
    return orNull(50, jsonObjects(jsonValues(2)).map(o -> JSON.toJSONString(o)));
  }

  private static Gen<Message> messages() {
    Gen<String> optionalTexts = optionalTexts();
    Gen<MessageData> data = data();
    Gen<String> encodings = encodings();
    Gen<Long> timestamps = longs().between(0, Long.MAX_VALUE);
    Gen<String> extras = extras();
    Gen<MessageAction> actions = orNull(30, enumValues(MessageAction.class));
    return in -> {
      Message.Builder b =
          Message.builder()
              .id(optionalTexts.generate(in))
              .name(optionalTexts.generate(in))
              .data(data.generate(in))
              .encoding(encodings.generate(in))
              .clientId(optionalTexts.generate(in))
              .connectionId(optionalTexts.generate(in))
              .connectionKey(optionalTexts.generate(in));
      if (sometimes(in, 50)) {
        b.timestampMillis(timestamps.generate(in));
      }
      return b.extras(extras.generate(in))
          .serial(optionalTexts.generate(in))
          .action(actions.generate(in))
          .build();
    };
  }

  private static Gen<PresenceMessage> presenceMessages() {
    Gen<String> optionalTexts = optionalTexts();
    Gen<PresenceAction> actions = enumValues(PresenceAction.class);
    Gen<MessageData> data = data();
    Gen<String> encodings = encodings();
    Gen<String> extras = extras();
    Gen<Long> timestamps = longs().between(0, Long.MAX_VALUE);
    return in ->
        new PresenceMessage(
            optionalTexts.generate(in),
            actions.generate(in),
            optionalTexts.generate(in),
            optionalTexts.generate(in),
            data.generate(in),
            encodings.generate(in),
            extras.generate(in),
            timestamps.generate(in));
  }

  private static Gen<ErrorInfo> errors(int depth) {
    Gen<ErrorInfo> causes = depth == 0 ? constant((ErrorInfo) null) : orNull(50, errors(depth - 1));
    Gen<Integer> codes =
        frequency(Pair.of(1, constant(0)), Pair.of(4, integers().between(10_000, 99_999)));
    Gen<Integer> statuses =
        frequency(Pair.of(1, constant(0)), Pair.of(4, integers().between(100, 599)));
    Gen<String> optionalTexts = optionalTexts();
    Gen<Map<String, String>> details = maps(texts(), texts(), 2);
    return in ->
        new ErrorInfo(
            codes.generate(in),
            statuses.generate(in),
            optionalTexts.generate(in),
            optionalTexts.generate(in),
            causes.generate(in),
            details.generate(in),
            optionalTexts.generate(in));
  }

  private static Gen<ConnectionDetails> connectionDetails() {
    Gen<List<String>> strings = lists(optionalTexts(), 4, 4);
    Gen<List<Long>> longs = lists(orNull(30, longs().all()), 7, 7);
    return strings.zip(
        longs,
        (s, l) ->
            new ConnectionDetails(
                s.get(0), s.get(1), l.get(0), l.get(1), l.get(2), l.get(3), l.get(4), l.get(5),
                s.get(2), s.get(3), l.get(6)));
  }

  private static Gen<PublishResult> publishResults() {
    return orNull(30, lists(optionalTexts(), 0, 3)).map(PublishResult::new);
  }

  private static Gen<Integer> flags() {
    Gen<Boolean> include = booleans().all();
    Gen<Integer> subsets =
        in -> {
          int mask = 0;
          for (Flag f : Flag.values()) {
            if (include.generate(in)) {
              mask |= f.mask();
            }
          }
          return mask;
        };
    return oneOf(subsets, integers().all());
  }

  private static Gen<ProtocolMessage> protocolMessages(
      Gen<Message> messages, Gen<PresenceMessage> presence) {
    int p = 40;
    Gen<Action> actions = enumValues(Action.class);
    Gen<Integer> flags = flags();
    Gen<String> texts = texts();
    Gen<Long> longs = longs().all();
    Gen<Integer> ints = integers().all();
    Gen<ErrorInfo> errors = errors(2);
    Gen<ConnectionDetails> details = connectionDetails();
    Gen<List<Message>> messageLists = lists(messages, 0, 3);
    Gen<List<PresenceMessage>> presenceLists = lists(presence, 0, 3);
    Gen<Map<String, String>> params = maps(texts, texts, 3);
    Gen<List<PublishResult>> results = lists(publishResults(), 0, 3);
    return in -> {
      ProtocolMessage.Builder b = ProtocolMessage.builder(actions.generate(in));
      if (sometimes(in, p)) {
        b.flags(flags.generate(in));
      }
      if (sometimes(in, p)) {
        b.id(texts.generate(in));
      }
      if (sometimes(in, p)) {
        b.channel(texts.generate(in));
      }
      if (sometimes(in, p)) {
        b.channelSerial(texts.generate(in));
      }
      if (sometimes(in, p)) {
        b.connectionId(texts.generate(in));
      }
      if (sometimes(in, p)) {
        b.connectionKey(texts.generate(in));
      }
      if (sometimes(in, p)) {
        b.msgSerial(longs.generate(in));
      }
      if (sometimes(in, p)) {
        b.count(ints.generate(in));
      }
      if (sometimes(in, p)) {
        b.timestampMillis(longs.generate(in));
      }
      if (sometimes(in, p)) {
        b.error(errors.generate(in));
      }
      if (sometimes(in, p)) {
        b.connectionDetails(details.generate(in));
      }
      if (sometimes(in, 20)) {
        b.auth(new AuthDetails(texts.generate(in)));
      }
      if (sometimes(in, p)) {
        b.messages(messageLists.generate(in));
      }
      if (sometimes(in, p)) {
        b.presence(presenceLists.generate(in));
      }
      if (sometimes(in, p)) {
        b.params(params.generate(in));
      }
      if (sometimes(in, p)) {
        b.res(results.generate(in));
      }
      return b.build();
    };
  }

  private static Gen<ProtocolMessage> protocolMessages() {
    return protocolMessages(messages(), presenceMessages());
  }

  /**
   * Messages outside the normal form, which decoding normalises: JSON data, extras with
   * whitespace and unnormalised numbers, text whose encoding ends in base64 (valid or not).
   */
  private static Gen<ProtocolMessage> looseProtocolMessages() {
    Gen<String> looseExtras =
        orNull(
            30,
            jsonObjects(jsonValues(2))
                .map(o -> JSON.toJSONString(o, JSONWriter.Feature.PrettyFormat)));
    Gen<MessageData> looseData =
        oneOf(
            data(),
            jsonObjects(jsonValues(1)).map(o -> MessageData.json(JSON.toJSONString(o))),
            lists(jsonValues(1), 0, 3).map(l -> MessageData.json(JSON.toJSONString(l))),
            anyBytes(9).map(b -> MessageData.text(Base64.getEncoder().encodeToString(b))),
            constant(() -> MessageData.text("not base64!")));
    Gen<String> looseEncodings =
        oneOf(encodings(), pick(List.of("base64", "utf-8/base64", "json/base64")));
    Gen<Message> messages =
        messages()
            .zip(
                looseData,
                looseEncodings,
                looseExtras,
                (m, d, e, x) -> m.toBuilder().data(d).encoding(e).extras(x).build());
    Gen<PresenceMessage> presence =
        presenceMessages().zip(looseData, looseEncodings, (m, d, e) -> m.withData(d, e));
    return protocolMessages(messages, presence);
  }
}
