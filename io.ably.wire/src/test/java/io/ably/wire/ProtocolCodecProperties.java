package io.ably.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONWriter;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.message.MessageAction;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of both codecs over generated ProtocolMessages and generated hostile input (TR4,
 * TM2, RSL4c, RSL4d, RSL6a3).
 */
class ProtocolCodecProperties {
  private static final ProtocolCodec JSON_CODEC = JsonProtocolCodec.INSTANCE;
  private static final ProtocolCodec MSGPACK = MsgpackProtocolCodec.INSTANCE;
  private static final List<ProtocolCodec> CODECS = List.of(JSON_CODEC, MSGPACK);
  private static final Duration NEVER_HANG = Duration.ofSeconds(10);

  // ---- round trips ---------------------------------------------------------------------------

  @Property(tries = 400)
  @Tag("TR4")
  @Tag("RSL4c")
  @Tag("RSL4d")
  void decodingAnEncodedMessageGivesItBackInBothFormats(
      @ForAll("protocolMessages") ProtocolMessage m) {
    for (ProtocolCodec codec : CODECS) {
      assertEquals(m, codec.decode(codec.encode(m)), codec.toString());
    }
  }

  @Property(tries = 400)
  @Tag("RSL6a3")
  void jsonAndMsgpackDecodeTheSameMessageToEqualValues(
      @ForAll("looseProtocolMessages") ProtocolMessage m) {
    ProtocolMessage viaJson = JSON_CODEC.decode(JSON_CODEC.encode(m));
    ProtocolMessage viaMsgpack = MSGPACK.decode(MSGPACK.encode(m));
    assertEquals(viaJson, viaMsgpack);
    // Decoded values are normal forms: another trip changes nothing.
    assertEquals(viaJson, MSGPACK.decode(MSGPACK.encode(viaJson)));
    assertEquals(viaJson, JSON_CODEC.decode(JSON_CODEC.encode(viaMsgpack)));
  }

  @Property(tries = 200)
  @Tag("TM2")
  void restBodiesRoundTripInBothFormats(
      @ForAll("messageLists") List<Message> messages,
      @ForAll("presenceLists") List<PresenceMessage> presence) {
    for (ProtocolCodec codec : CODECS) {
      assertEquals(messages, codec.decodeMessages(codec.encodeMessages(messages)));
      assertEquals(presence, codec.decodePresence(codec.encodePresence(presence)));
      for (Message msg : messages) {
        assertEquals(msg, codec.decodeMessage(codec.encodeMessage(msg)));
      }
    }
  }

  @Property(tries = 100)
  void decodingFromByteBuffersAndOffsetsMatchesDecodingArrays(
      @ForAll("protocolMessages") ProtocolMessage m,
      @ForAll @IntRange(max = 16) int before,
      @ForAll @IntRange(max = 16) int after) {
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
  }

  // ---- hostile input -------------------------------------------------------------------------

  @Property(tries = 1000)
  void arbitraryBytesDecodeOrFailWithWireFormatExceptionOnly(
      @ForAll @Size(max = 64) byte[] bytes) {
    assertTimeoutPreemptively(NEVER_HANG, () -> decodesOrRejectsEverywhere(bytes));
  }

  @Property(tries = 300)
  void mutatedEncodingsDecodeOrFailWithWireFormatExceptionOnly(
      @ForAll("protocolMessages") ProtocolMessage m, @ForAll long seed) {
    Random random = new Random(seed);
    List<byte[]> mutants = new ArrayList<>();
    for (ProtocolCodec codec : CODECS) {
      byte[] frame = codec.encode(m);
      for (int i = 0; i < 5; i++) {
        mutants.add(mutate(frame, random));
      }
    }
    assertTimeoutPreemptively(
        NEVER_HANG, () -> mutants.forEach(ProtocolCodecProperties::decodesOrRejectsEverywhere));
  }

  @Property(tries = 50)
  void everyProperPrefixOfAnEncodingIsRejected(@ForAll("protocolMessages") ProtocolMessage m) {
    for (ProtocolCodec codec : CODECS) {
      byte[] frame = codec.encode(m);
      for (int length = 0; length < frame.length; length++) {
        int n = length;
        assertThrows(
            WireFormatException.class, () -> codec.decode(frame, 0, n), codec + " prefix " + n);
      }
    }
  }

  @Property(tries = 200)
  void msgpackHeadersClaimingMoreThanTheInputFailFast(
      @ForAll("hugeHeaders") byte[] header,
      @ForAll @IntRange(max = 4) int place,
      @ForAll @Size(max = 8) byte[] tail) {
    String prefix =
        switch (place) {
          case 0 -> ""; // the top-level value itself
          case 1 -> "81a86d65737361676573"; // {messages: ...}
          case 2 -> "81a26964"; // {id: ...}
          case 3 -> "81a86d657373616765739181a464617461"; // {messages: [{data: ...}]}
          default -> "81a7756e6b6e6f776e"; // {unknown: ...}, skipped
        };
    byte[] start = java.util.HexFormat.of().parseHex(prefix);
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
  }

  @Provide
  Arbitrary<byte[]> hugeHeaders() {
    Arbitrary<Integer> kind = Arbitraries.of(0xdd, 0xdf, 0xdb, 0xc6); // array32 map32 str32 bin32
    Arbitrary<Long> claimed =
        Arbitraries.oneOf(
            Arbitraries.of(1L << 31, (1L << 31) - 1, (1L << 32) - 1, 1L << 30),
            Arbitraries.longs().between(64, (1L << 32) - 1));
    return Combinators.combine(kind, claimed)
        .as(
            (k, n) ->
                new byte[] {
                  (byte) (int) k,
                  (byte) (n >>> 24),
                  (byte) (n >>> 16),
                  (byte) (n >>> 8),
                  (byte) (long) n
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
  private static Arbitrary<String> texts() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withCharRange('\u0000', '\u001f')
        .withCharRange('\u00a0', '\u07ff')
        .withCharRange('\u2020', '\u2030')
        .withCharRange('\u4e00', '\u4e20')
        .ofMaxLength(12);
  }

  private static Arbitrary<String> optionalTexts() {
    return texts().injectNull(0.4);
  }

  /** Encodings that do not end in {@code base64}, which the model never carries. */
  private static Arbitrary<String> encodings() {
    return Arbitraries.of(
            "utf-8", "json", "cipher+aes-128-cbc", "utf-8/cipher+aes-256-cbc", "json/utf-8",
            "vcdiff", "base64/utf-8")
        .injectNull(0.5);
  }

  private static Arbitrary<MessageData> data() {
    Arbitrary<MessageData> text = texts().map(MessageData::text);
    Arbitrary<MessageData> binary =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(MessageData::binary);
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(null)),
        Tuple.of(3, text),
        Tuple.of(3, binary),
        Tuple.of(1, Arbitraries.just(MessageData.binary(new byte[0]))));
  }

  /** A JSON value tree of maps, lists, strings, longs, doubles, booleans. */
  private static Arbitrary<Object> jsonValues(int depth) {
    Arbitrary<Object> leaf =
        Arbitraries.oneOf(
            texts(),
            Arbitraries.longs(),
            Arbitraries.doubles().between(-1e6, 1e6).ofScale(3).filter(d -> d != 0.0),
            Arbitraries.of(Boolean.TRUE, Boolean.FALSE));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Object> inner = jsonValues(depth - 1);
    return Arbitraries.oneOf(
        leaf,
        inner.list().ofMaxSize(3).map(l -> (Object) l),
        jsonObjects(inner).map(o -> (Object) o));
  }

  private static Arbitrary<Map<String, Object>> jsonObjects(Arbitrary<Object> values) {
    return Arbitraries.maps(texts(), values).ofMaxSize(3).map(LinkedHashMap::new);
  }

  /** Extras in canonical compact form, which decoding reproduces exactly. */
  private static Arbitrary<String> extras() {
    return jsonObjects(jsonValues(2)).map(JSON::toJSONString).injectNull(0.5);
  }

  private static Arbitrary<Message> messages() {
    return Builders.withBuilder(Message::builder)
        .use(optionalTexts()).in(Message.Builder::id)
        .use(optionalTexts()).in(Message.Builder::name)
        .use(data()).in(Message.Builder::data)
        .use(encodings()).in(Message.Builder::encoding)
        .use(optionalTexts()).in(Message.Builder::clientId)
        .use(optionalTexts()).in(Message.Builder::connectionId)
        .use(optionalTexts()).in(Message.Builder::connectionKey)
        .use(Arbitraries.longs().between(0, Long.MAX_VALUE)).withProbability(0.5)
        .in(Message.Builder::timestampMillis)
        .use(extras()).in(Message.Builder::extras)
        .use(optionalTexts()).in(Message.Builder::serial)
        .use(Arbitraries.of(MessageAction.class).injectNull(0.3)).in(Message.Builder::action)
        .build(Message.Builder::build);
  }

  private static Arbitrary<PresenceMessage> presenceMessages() {
    return Combinators.combine(
            optionalTexts(),
            Arbitraries.of(PresenceAction.class),
            optionalTexts(),
            optionalTexts(),
            data(),
            encodings(),
            extras(),
            Arbitraries.longs().between(0, Long.MAX_VALUE))
        .as(PresenceMessage::new);
  }

  private static Arbitrary<ErrorInfo> errors(int depth) {
    Arbitrary<ErrorInfo> cause =
        depth == 0 ? Arbitraries.just(null) : errors(depth - 1).injectNull(0.5);
    Arbitrary<Integer> codes =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(0)),
            Tuple.of(4, Arbitraries.integers().between(10_000, 99_999)));
    Arbitrary<Integer> statuses =
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(0)),
            Tuple.of(4, Arbitraries.integers().between(100, 599)));
    return Combinators.combine(
            codes,
            statuses,
            optionalTexts(),
            optionalTexts(),
            cause,
            Arbitraries.maps(texts(), texts()).ofMaxSize(2),
            optionalTexts())
        .as(ErrorInfo::new);
  }

  private static Arbitrary<ConnectionDetails> connectionDetails() {
    Arbitrary<List<String>> strings = optionalTexts().list().ofSize(4);
    Arbitrary<List<Long>> longs = Arbitraries.longs().injectNull(0.3).list().ofSize(7);
    return Combinators.combine(strings, longs)
        .as(
            (s, l) ->
                new ConnectionDetails(
                    s.get(0), s.get(1), l.get(0), l.get(1), l.get(2), l.get(3), l.get(4),
                    l.get(5), s.get(2), s.get(3), l.get(6)));
  }

  private static Arbitrary<PublishResult> publishResults() {
    return optionalTexts().list().ofMaxSize(3).injectNull(0.3).map(PublishResult::new);
  }

  private static Arbitrary<Integer> flags() {
    return Arbitraries.oneOf(
        Arbitraries.subsetOf(Flag.values())
            .map(set -> set.stream().mapToInt(Flag::mask).reduce(0, (a, b) -> a | b)),
        Arbitraries.integers());
  }

  private static Arbitrary<ProtocolMessage> protocolMessages(
      Arbitrary<Message> messages, Arbitrary<PresenceMessage> presence) {
    double p = 0.4;
    return Builders.withBuilder(() -> ProtocolMessage.builder(Action.HEARTBEAT))
        .use(Arbitraries.of(Action.class)).in(ProtocolMessage.Builder::action)
        .use(flags()).withProbability(p).in(ProtocolMessage.Builder::flags)
        .use(texts()).withProbability(p).in(ProtocolMessage.Builder::id)
        .use(texts()).withProbability(p).in(ProtocolMessage.Builder::channel)
        .use(texts()).withProbability(p).in(ProtocolMessage.Builder::channelSerial)
        .use(texts()).withProbability(p).in(ProtocolMessage.Builder::connectionId)
        .use(texts()).withProbability(p).in(ProtocolMessage.Builder::connectionKey)
        .use(Arbitraries.longs()).withProbability(p).in(ProtocolMessage.Builder::msgSerial)
        .use(Arbitraries.integers()).withProbability(p).in(ProtocolMessage.Builder::count)
        .use(Arbitraries.longs()).withProbability(p).in(ProtocolMessage.Builder::timestampMillis)
        .use(errors(2)).withProbability(p).in(ProtocolMessage.Builder::error)
        .use(connectionDetails()).withProbability(p)
        .in(ProtocolMessage.Builder::connectionDetails)
        .use(texts().map(AuthDetails::new)).withProbability(0.2).in(ProtocolMessage.Builder::auth)
        .use(messages.list().ofMaxSize(3)).withProbability(p)
        .in(ProtocolMessage.Builder::messages)
        .use(presence.list().ofMaxSize(3)).withProbability(p)
        .in(ProtocolMessage.Builder::presence)
        .use(Arbitraries.maps(texts(), texts()).ofMaxSize(3)).withProbability(p)
        .in(ProtocolMessage.Builder::params)
        .use(publishResults().list().ofMaxSize(3)).withProbability(p)
        .in(ProtocolMessage.Builder::res)
        .build(ProtocolMessage.Builder::build);
  }

  @Provide
  Arbitrary<ProtocolMessage> protocolMessages() {
    return protocolMessages(messages(), presenceMessages());
  }

  @Provide
  Arbitrary<List<Message>> messageLists() {
    return messages().list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<PresenceMessage>> presenceLists() {
    return presenceMessages().list().ofMaxSize(4);
  }

  /**
   * Messages outside the normal form, which decoding normalises: JSON data, extras with
   * whitespace and unnormalised numbers, text whose encoding ends in base64 (valid or not).
   */
  @Provide
  Arbitrary<ProtocolMessage> looseProtocolMessages() {
    Arbitrary<String> looseExtras =
        jsonObjects(jsonValues(2))
            .map(o -> JSON.toJSONString(o, JSONWriter.Feature.PrettyFormat))
            .injectNull(0.3);
    Arbitrary<MessageData> looseData =
        Arbitraries.oneOf(
            data(),
            jsonObjects(jsonValues(1)).map(o -> MessageData.json(JSON.toJSONString(o))),
            jsonValues(1).list().ofMaxSize(3).map(l -> MessageData.json(JSON.toJSONString(l))),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(9)
                .map(b -> MessageData.text(java.util.Base64.getEncoder().encodeToString(b))),
            Arbitraries.just(MessageData.text("not base64!")));
    Arbitrary<String> looseEncodings =
        Arbitraries.oneOf(encodings(), Arbitraries.of("base64", "utf-8/base64", "json/base64"));
    Arbitrary<Message> messages =
        Combinators.combine(messages(), looseData, looseEncodings, looseExtras)
            .as((m, d, e, x) -> m.toBuilder().data(d).encoding(e).extras(x).build());
    Arbitrary<PresenceMessage> presence =
        Combinators.combine(presenceMessages(), looseData, looseEncodings)
            .as((m, d, e) -> m.withData(d, e));
    return protocolMessages(messages, presence);
  }
}
