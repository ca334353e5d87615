package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.api.message.PresenceMessage;
import io.ably.api.message.PublishResult;
import io.ably.api.rest.BatchPublishResult;
import io.ably.api.rest.ChannelDetails;
import io.ably.api.rest.Stats;
import io.ably.api.rest.StatsUnit;
import io.ably.wire.ChannelCipher;
import io.ably.wire.PayloadEncoder;
import io.ably.wire.ProtocolCodec;
import io.ably.wire.RestBodies;
import io.ably.wire.WireFormat;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the bodies of REST responses into API values: time, stats, channel details, publish and
 * batch results, and messages and presence messages decoded with the channel's cipher (RSL6,
 * RSP5; an undecodable payload is kept with its encoding and counted, RSL6b). Stateless.
 */
final class RestReaders {
  private RestReaders() {}

  /** {@code GET /time}: {@code [ms]} (RSC16). */
  static Instant time(HttpResult r, WireFormat f) {
    Object tree = RestBodies.read(f, r.body());
    if (tree instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Number n) {
      return Instant.ofEpochMilli(n.longValue());
    }
    throw AblyException.of(ErrorCode.INVALID_MESSAGE_DATA, "the time response is not [milliseconds]");
  }

  /** A publish response {@code {channel, messageId, serials}} (RSL1n); no body: unknown serials. */
  static PublishResult published(HttpResult r, WireFormat f, int count) {
    Object tree = RestBodies.read(f, r.body());
    if (tree instanceof Map<?, ?> m && m.get("serials") instanceof List<?> serials) {
      List<String> out = new ArrayList<>(serials.size());
      for (Object s : serials) {
        out.add(s instanceof String str ? str : null);
      }
      return new PublishResult(out);
    }
    return new PublishResult(Collections.nCopies(count, (String) null));
  }

  /** Messages, decoded with the channel's cipher. Event loop (the cipher is the channel's). */
  static List<Message> messages(RestCore core, ChannelCipher cipher, String channel, HttpResult r, WireFormat f) {
    List<Message> wire = ProtocolCodec.of(f).decodeMessages(r.body());
    List<Message> out = new ArrayList<>(wire.size());
    int failures = 0;
    for (Message m : wire) {
      PayloadEncoder.Decoded<Message> d = PayloadEncoder.decode(m, cipher);
      if (!d.complete()) {
        failures++;
        AblyException e = d.error();
        core.log.log(
            Level.WARNING,
            () -> "message " + d.message().id() + " on " + channel + " not fully decoded (RSL6b): " + e.errorInfo());
      }
      out.add(d.message());
    }
    core.counters.decodeFailures(failures);
    return out;
  }

  /** Presence messages, decoded with the channel's cipher (RSP5). */
  static List<PresenceMessage> presence(RestCore core, ChannelCipher cipher, String channel, HttpResult r, WireFormat f) {
    List<PresenceMessage> wire = ProtocolCodec.of(f).decodePresence(r.body());
    List<PresenceMessage> out = new ArrayList<>(wire.size());
    int failures = 0;
    for (PresenceMessage m : wire) {
      PayloadEncoder.Decoded<PresenceMessage> d = PayloadEncoder.decode(m, cipher);
      if (!d.complete()) {
        failures++;
        AblyException e = d.error();
        core.log.log(
            Level.WARNING,
            () -> "presence message of " + d.message().clientId() + " on " + channel
                + " not fully decoded (RSL6b): " + e.errorInfo());
      }
      out.add(d.message());
    }
    core.counters.decodeFailures(failures);
    return out;
  }

  /** {@code GET /stats} (RSC6, TS12): typed fields, counters, and the rest kept as JSON text. */
  static List<Stats> stats(HttpResult r, WireFormat f) {
    Object tree = RestBodies.read(f, r.body());
    if (!(tree instanceof List<?> list)) {
      throw AblyException.of(ErrorCode.INVALID_MESSAGE_DATA, "the stats response is not an array");
    }
    List<Stats> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m)) {
        throw AblyException.of(ErrorCode.INVALID_MESSAGE_DATA, "a stats entry is not an object");
      }
      Map<String, Number> entries = new LinkedHashMap<>();
      Map<String, String> other = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        switch (k) {
          case "intervalId", "unit", "schema", "appId", "inProgress" -> {
            if (!(e.getValue() instanceof String) && e.getValue() != null) {
              other.put(k, RestBodies.toJson(e.getValue()));
            }
          }
          case "entries" -> {
            if (e.getValue() instanceof Map<?, ?> em) {
              flatten("", em, entries, other);
            } else {
              other.put(k, RestBodies.toJson(e.getValue()));
            }
          }
          default -> other.put(k, RestBodies.toJson(e.getValue()));
        }
      }
      out.add(
          new Stats(
              string(m, "intervalId"), StatsUnit.fromParam(string(m, "unit")), string(m, "schema"),
              string(m, "appId"), string(m, "inProgress"), entries, other));
    }
    return out;
  }

  /** Counters may come flat ({@code "a.b": 1}) or nested ({@code "a": {"b": 1}}). */
  private static void flatten(
      String prefix, Map<?, ?> m, Map<String, Number> entries, Map<String, String> other) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = prefix + e.getKey();
      Object v = e.getValue();
      if (v instanceof Number n) {
        entries.put(k, n);
      } else if (v instanceof Map<?, ?> nested) {
        flatten(k + ".", nested, entries, other);
      } else {
        other.put("entries." + k, RestBodies.toJson(v));
      }
    }
  }

  private static String string(Map<?, ?> m, String key) {
    return m.get(key) instanceof String s ? s : null;
  }

  /** {@code GET /channels/{ch}} (RSL8, CHD). */
  static ChannelDetails details(HttpResult r, WireFormat f) {
    Object tree = RestBodies.read(f, r.body());
    if (!(tree instanceof Map<?, ?> m)) {
      throw AblyException.of(ErrorCode.INVALID_MESSAGE_DATA, "the channel details are not an object");
    }
    String id = string(m, "channelId");
    Map<?, ?> status = m.get("status") instanceof Map<?, ?> s ? s : Map.of();
    boolean active = Boolean.TRUE.equals(status.get("isActive"));
    Map<?, ?> occupancy = status.get("occupancy") instanceof Map<?, ?> o ? o : Map.of();
    Map<?, ?> metrics = occupancy.get("metrics") instanceof Map<?, ?> mm ? mm : Map.of();
    return new ChannelDetails(
        id, active,
        new ChannelDetails.Occupancy(
            count(metrics, "connections"), count(metrics, "publishers"), count(metrics, "subscribers"),
            count(metrics, "presenceConnections"), count(metrics, "presenceMembers"),
            count(metrics, "presenceSubscribers")));
  }

  private static int count(Map<?, ?> m, String key) {
    return m.get(key) instanceof Number n ? n.intValue() : 0;
  }

  /**
   * {@code POST /messages} (RSC22, BAR, BPR, BPF): per-channel results, whether the service sends
   * an array of BatchResults ({@code {successCount, failureCount, results}}), one BatchResult, or
   * a flat array of per-channel results.
   */
  static List<BatchPublishResult> batch(HttpResult r, WireFormat f) {
    Object tree = RestBodies.read(f, r.body());
    List<BatchPublishResult> out = new ArrayList<>();
    collect(tree, out);
    return out;
  }

  private static void collect(Object tree, List<BatchPublishResult> out) {
    if (tree instanceof List<?> l) {
      for (Object o : l) {
        collect(o, out);
      }
    } else if (tree instanceof Map<?, ?> m) {
      if (m.get("results") instanceof List<?> results) {
        collect(results, out);
      } else if (m.get("channel") instanceof String channel) {
        if (m.get("error") instanceof Map<?, ?> e) {
          out.add(new BatchPublishResult(channel, null, List.of(), RestBodies.errorInfo(e)));
        } else {
          List<String> serials = new ArrayList<>();
          if (m.get("serials") instanceof List<?> s) {
            for (Object o : s) {
              serials.add(o instanceof String str ? str : null);
            }
          }
          out.add(new BatchPublishResult(channel, string(m, "messageId"), serials, null));
        }
      } else {
        throw AblyException.of(ErrorCode.INVALID_MESSAGE_DATA, "a batch result names no channel");
      }
    } else {
      throw AblyException.of(ErrorCode.INVALID_MESSAGE_DATA, "the batch response is not an array of results");
    }
  }
}
