package io.ably.api.rest;

import io.ably.api.auth.Auth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The REST operations of a client (RSC): channels, server time, statistics, batch publish and raw
 * requests. A {@link RestClient} has them, and so has every realtime client through {@link
 * io.ably.api.RealtimeClient#rest()}, sharing its options, credentials and event loop.
 *
 * <p><b>How requests are made.</b> Over HTTP/1.1 on Netty, on the client's event loop: no thread is
 * started for a request and the caller is never blocked. Connections are kept alive and reused, a
 * few per host. The body is MessagePack, or JSON with {@code useBinaryProtocol(false)}. A request
 * that cannot connect within {@code httpOpenTimeout}, gets no full response within {@code
 * httpRequestTimeout}, or gets a 500–504, is tried again on a fallback host (RSC15), and a fallback
 * that worked is tried first for {@code fallbackRetryTimeout} (RSC15f).
 *
 * <p><b>Which thread calls back.</b> Stages complete on the client's callback thread, as realtime
 * stages do (see {@link io.ably.api.Channel}).
 *
 * <p><b>Failures.</b> A stage fails with an {@link io.ably.api.AblyException} carrying the error the
 * service sent (from the body or the {@code X-Ably-Errorcode} header), or 50003 (timeout), 50002 (no
 * host reachable) or 40013 (a response that cannot be read). Never with a Netty exception.
 *
 * @since 0.2
 */
public interface Rest {
  /**
   * Returns the REST channels.
   *
   * @return the channels, the same object on every call
   */
  /**
   * Returns the client's authentication: its tokens and clientId, TokenRequests, {@code
   * authorize} (RSA8–RSA10).
   *
   * @return the auth, the same object on every call
   * @since 0.3
   */
  Auth auth();

  RestChannels channels();

  /**
   * Asks the service for its time (RSC16).
   *
   * @return a stage completed with the service's clock
   */
  CompletionStage<Instant> time();

  /**
   * Reads the application's statistics (RSC6).
   *
   * @param params the query
   * @return a stage completed with the first page
   */
  CompletionStage<PaginatedResult<Stats>> stats(StatsParams params);

  /**
   * Publishes to several channels in one request (RSC22): each spec's messages to each of its
   * channels. A channel that refuses its messages gives a failed {@link BatchPublishResult}; the
   * stage itself fails only when the whole request does.
   *
   * @param specs the specs, at least one
   * @return a stage completed with one result per channel of each spec, in order
   */
  CompletionStage<List<BatchPublishResult>> batchPublish(List<BatchPublishSpec> specs);

  /**
   * Makes any REST request the service offers that this API does not wrap (RSC19), with the
   * client's credentials, headers, fallback hosts and format.
   *
   * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
   * @param path the path, starting with {@code /}
   * @param params query parameters, possibly empty
   * @param jsonBody the body as JSON text (sent as MessagePack with the binary protocol), or
   *     {@code null}
   * @param headers extra request headers, possibly empty
   * @return a stage completed with the response, an error status included (HP5); failed only when
   *     no response could be had
   */
  CompletionStage<HttpPaginatedResponse> request(
      String method,
      String path,
      Map<String, String> params,
      String jsonBody,
      Map<String, String> headers);
}
