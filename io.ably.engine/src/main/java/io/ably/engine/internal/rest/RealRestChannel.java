package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.ChannelOptions;
import io.ably.api.ErrorCode;
import io.ably.api.internal.Checks;
import io.ably.api.message.Message;
import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceMessage;
import io.ably.api.message.PublishResult;
import io.ably.api.rest.ChannelDetails;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.PaginatedResult;
import io.ably.api.rest.PresenceParams;
import io.ably.api.rest.RestChannel;
import io.ably.api.rest.RestPresence;
import io.ably.wire.ChannelCipher;
import io.ably.wire.PayloadEncoder;
import io.ably.wire.ProtocolCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The engine's {@link RestChannel}. Thread-safe: operations enqueue on the client's loop, where the
 * cipher is used.
 */
final class RealRestChannel implements RestChannel {
  private final RestCore core;
  private final String name;
  private final ChannelOptions options;
  /** Used on the loop only (safely published by the loop's task queue). */
  private final ChannelCipher cipher;
  private final String path;
  private final RestPresence presence;

  RealRestChannel(RestCore core, String name, ChannelOptions options) {
    this.core = core;
    this.name = name;
    this.options = options;
    this.cipher = options.cipher() == null ? null : ChannelCipher.of(options.cipher());
    this.path = "/channels/" + PathEncoding.component(name);
    this.presence =
        new RestPresence() {
          @Override
          public CompletionStage<PaginatedResult<PresenceMessage>> get(PresenceParams params) {
            Checks.notNull(params, "params");
            return core.submit(
                "presence of " + name,
                done ->
                    core.page(
                        path + "/presence", params.toQuery(),
                        (r, f) -> RestReaders.presence(core, cipher, name, r, f), done));
          }

          @Override
          public CompletionStage<PaginatedResult<PresenceMessage>> history(HistoryParams params) {
            checkRest(params);
            return core.submit(
                "presence history of " + name,
                done ->
                    core.page(
                        path + "/presence/history", params.toQuery(),
                        (r, f) -> RestReaders.presence(core, cipher, name, r, f), done));
          }
        };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ChannelOptions options() {
    return options;
  }

  @Override
  public CompletionStage<PublishResult> publish(Message message) {
    Checks.notNull(message, "message");
    return publish(List.of(message), Map.of());
  }

  @Override
  public CompletionStage<PublishResult> publish(String name, MessageData data) {
    return publish(Message.of(name, data));
  }

  @Override
  public CompletionStage<PublishResult> publish(String name, String text) {
    return publish(Message.of(name, text == null ? null : MessageData.text(text)));
  }

  @Override
  public CompletionStage<PublishResult> publish(List<Message> messages) {
    return publish(messages, Map.of());
  }

  @Override
  public CompletionStage<PublishResult> publish(List<Message> messages, Map<String, String> params) {
    Checks.notNull(messages, "messages");
    Checks.notNull(params, "params");
    Checks.check(!messages.isEmpty(), "messages must not be empty");
    List<Message> copy = List.copyOf(messages); // rejects null elements
    Map<String, String> query = Map.copyOf(params);
    return core.submit(
        "publish on " + name,
        done -> {
          List<Message> wire = wireMessages(core, copy, cipher);
          ProtocolCodec codec = ProtocolCodec.of(core.format);
          byte[] body = wire.size() == 1 ? codec.encodeMessage(wire.get(0)) : codec.encodeMessages(wire);
          core.execute(
              "POST", path + "/messages", query, body, Map.of(), false,
              (r, f) -> RestReaders.published(r, f, wire.size()), done);
        });
  }

  /**
   * Encodes messages for sending (RSL4, RSL5), gives them idempotent ids when none has one
   * (RSL1k1), and checks their total size (RSL1i). Event loop only.
   *
   * @throws AblyException 40009 if they are too large, 40013 for invalid JSON data
   */
  static List<Message> wireMessages(RestCore core, List<Message> messages, ChannelCipher cipher) {
    boolean anyId = false;
    long size = 0;
    for (Message m : messages) {
      anyId |= m.id() != null;
      size += m.size();
    }
    if (size > RestCore.MAX_MESSAGE_SIZE) {
      throw AblyException.of(
          ErrorCode.MESSAGE_TOO_LARGE,
          "messages of " + size + " bytes exceed the limit of " + RestCore.MAX_MESSAGE_SIZE + " (RSL1i)");
    }
    String base = anyId ? null : core.randomBase64(9, false);
    List<Message> wire = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (base != null) {
        m = m.toBuilder().id(base + ":" + i).build(); // RSL1k1
      }
      wire.add(PayloadEncoder.encode(m, cipher));
    }
    return wire;
  }

  @Override
  public CompletionStage<PaginatedResult<Message>> history(HistoryParams params) {
    checkRest(params);
    return core.submit("history of " + name, done -> historyOnLoop(params, null, done));
  }

  /** Reads history on the loop, bounded by {@code fromSerial} when not {@code null} (RTL10b). */
  void historyOnLoop(
      HistoryParams params, String fromSerial, CompletableFuture<PaginatedResult<Message>> done) {
    Map<String, String> query = params.toQuery();
    if (fromSerial != null) {
      query.put("fromSerial", fromSerial);
    }
    core.page(path + "/messages", query, (r, f) -> RestReaders.messages(core, cipher, name, r, f), done);
  }

  private static void checkRest(HistoryParams params) {
    Checks.notNull(params, "params");
    Checks.check(!params.untilAttach(), "untilAttach is for realtime channels only (RTL10b)");
  }

  @Override
  public RestPresence presence() {
    return presence;
  }

  @Override
  public CompletionStage<ChannelDetails> status() {
    return core.submit(
        "status of " + name,
        done -> core.execute("GET", path, Map.of(), null, Map.of(), false, RestReaders::details, done));
  }

  @Override
  public String toString() {
    return "RestChannel[" + name + "]";
  }
}
