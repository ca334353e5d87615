package io.ably.engine.internal.rest;

import io.ably.api.ClientOptions;
import io.ably.engine.internal.connection.RealtimeHosts;

/** Host facts of the REST client, computed from the options. Stateless. */
final class RestTls {
  private RestTls() {}

  /**
   * The primary REST host (REC1): the same as the realtime host.
   *
   * @param options the options
   * @return the host
   */
  static String primaryHost(ClientOptions options) {
    return RealtimeHosts.from(options).primary();
  }
}
