package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.ChannelOptions;
import io.ably.api.ErrorCode;
import io.ably.api.internal.Checks;
import io.ably.api.message.Message;
import io.ably.api.rest.BatchPublishResult;
import io.ably.api.rest.BatchPublishSpec;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.HttpPaginatedResponse;
import io.ably.api.rest.PaginatedResult;
import io.ably.api.rest.Rest;
import io.ably.api.rest.RestChannel;
import io.ably.api.rest.RestChannels;
import io.ably.api.rest.RestMetrics;
import io.ably.api.rest.Stats;
import io.ably.api.rest.StatsParams;
import io.ably.wire.RestBodies;
import io.ably.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The engine's {@link Rest}: the REST operations of a client, REST-only or realtime. Thread-safe:
 * every operation only enqueues work on the client's loop.
 */
public final class RealRest implements Rest {
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");

  private final RestCore core;
  private final RestChannels channels;
  private final RealAuth auth;

  /**
   * Creates the REST operations over a client's REST path.
   *
   * @param core the REST path
   */
  public RealRest(RestCore core) {
    this.core = core;
    this.auth = new RealAuth(core);
    this.channels =
        new RestChannels() {
          @Override
          public RestChannel get(String name) {
            return get(name, ChannelOptions.defaults());
          }

          @Override
          public RestChannel get(String name, ChannelOptions options) {
            Checks.notNull(name, "name");
            Checks.check(!name.isEmpty(), "a channel name must not be empty");
            Checks.notNull(options, "options");
            return new RealRestChannel(core, name, options);
          }
        };
  }

  @Override
  public RestChannels channels() {
    return channels;
  }

  @Override
  public RealAuth auth() {
    return auth;
  }

  @Override
  public CompletionStage<Instant> time() {
    return core.submit(
        "time",
        done -> core.execute("GET", "/time", Map.of(), null, Map.of(), false, RestReaders::time, done));
  }

  @Override
  public CompletionStage<PaginatedResult<Stats>> stats(StatsParams params) {
    Checks.notNull(params, "params");
    return core.submit("stats", done -> core.page("/stats", params.toQuery(), RestReaders::stats, done));
  }

  @Override
  public CompletionStage<List<BatchPublishResult>> batchPublish(List<BatchPublishSpec> specs) {
    Checks.notNull(specs, "specs");
    Checks.check(!specs.isEmpty(), "a batch publish needs at least one spec");
    List<BatchPublishSpec> copy = List.copyOf(specs);
    return core.submit(
        "batch publish",
        done -> {
          List<List<String>> names = new ArrayList<>(copy.size());
          List<List<Message>> messages = new ArrayList<>(copy.size());
          for (BatchPublishSpec spec : copy) {
            names.add(spec.channels());
            messages.add(RealRestChannel.wireMessages(core, spec.messages(), null));
          }
          byte[] body = RestBodies.batchPublish(core.format, names, messages);
          core.execute("POST", "/messages", Map.of(), body, Map.of(), false, RestReaders::batch, done);
        });
  }

  @Override
  public CompletionStage<HttpPaginatedResponse> request(
      String method, String path, Map<String, String> params, String jsonBody,
      Map<String, String> headers) {
    Checks.notNull(method, "method");
    Checks.notNull(path, "path");
    String m = method.toUpperCase(Locale.ROOT);
    Checks.check(METHODS.contains(m), "method must be one of " + METHODS + ", was " + method);
    Checks.check(path.startsWith("/"), "path must start with /, was " + path);
    Map<String, String> query = params == null ? Map.of() : Map.copyOf(params);
    Map<String, String> extra = headers == null ? Map.of() : Map.copyOf(headers);
    return core.submit(
        "request " + m + " " + path,
        done -> {
          byte[] body = null;
          if (jsonBody != null) {
            byte[] json = jsonBody.getBytes(StandardCharsets.UTF_8);
            body =
                core.format == WireFormat.JSON
                    ? json
                    : RestBodies.write(WireFormat.MSGPACK, RestBodies.read(WireFormat.JSON, json));
          }
          CompletableFuture<RawResponse> raw = new CompletableFuture<>();
          raw.whenComplete(
              (v, e) -> {
                if (e != null) {
                  done.completeExceptionally(e);
                } else {
                  done.complete(v);
                }
              });
          core.execute(m, path, query, body, extra, true, RawResponse.reader(core, path, extra), raw);
        });
  }

  /**
   * Reads a realtime channel's history (RTL10): as {@link RestChannel#history}, and with {@code
   * untilAttach} bounded by the attach serial, which {@code attachSerial} reads on the loop (RTL10b).
   *
   * @param channel the channel name
   * @param options the channel's options (its cipher)
   * @param params the query
   * @param attachSerial run on the loop when {@code untilAttach}: the channel's attach serial, or
   *     throws an {@link AblyException} (40000) when the channel is not attached
   * @return the first page
   */
  public CompletionStage<PaginatedResult<Message>> realtimeHistory(
      String channel, ChannelOptions options, HistoryParams params, Supplier<String> attachSerial) {
    Checks.notNull(params, "params");
    RealRestChannel c = new RealRestChannel(core, channel, options);
    return core.submit(
        "history of " + channel,
        done -> {
          String fromSerial = null;
          if (params.untilAttach()) {
            fromSerial = attachSerial.get();
            if (fromSerial == null) {
              throw AblyException.of(
                  ErrorCode.BAD_REQUEST,
                  "history with untilAttach needs channel " + channel + " ATTACHED (RTL10b)");
            }
          }
          c.historyOnLoop(params, fromSerial, done);
        });
  }

  /**
   * Reads a realtime channel's message history, for a backfill. Event loop only.
   *
   * @param channel the channel's name
   * @param options its options (the cipher that decrypts)
   * @param params the query
   * @param fromSerial the attach point (RTL10b), or {@code null}
   * @param done completed on the loop with the first page or the error
   */
  public void historyOnLoop(
      String channel, ChannelOptions options, HistoryParams params, String fromSerial,
      CompletableFuture<Pageable<Message>> done) {
    CompletableFuture<PaginatedResult<Message>> page = new CompletableFuture<>();
    page.whenComplete(
        (p, e) -> {
          if (e != null) {
            done.completeExceptionally(e);
          } else {
            done.complete((Pageable<Message>) p);
          }
        });
    try {
      new RealRestChannel(core, channel, options).historyOnLoop(params, fromSerial, page);
    } catch (RuntimeException e) {
      page.completeExceptionally(e);
    }
  }

  /**
   * Returns the REST counters.
   *
   * @return a snapshot
   */
  public RestMetrics metrics() {
    return core.counters.snapshot();
  }

  /** Closes the pooled connections; requests after this fail with 80017. Any thread. */
  public void close() {
    try {
      core.loop.execute(core::close);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the loop is gone, and its connections with it
    }
  }
}
