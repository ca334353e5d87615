package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.engine.internal.connection.RealtimeHosts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/** TLS and host facts of the REST client, computed from the options. Stateless. */
final class RestTls {
  private RestTls() {}

  /**
   * The TLS context of a client: the JDK's trust or the options' trust store, hostname checked.
   *
   * @param options the options
   * @return the context
   * @throws AblyException (40003) if the trust store cannot be used
   */
  static SslContext context(ClientOptions options) {
    try {
      SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
      if (options.trustStore() != null) {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(options.trustStore());
        b.trustManager(tmf);
      }
      return b.build();
    } catch (SSLException | GeneralSecurityException e) {
      throw new AblyException(
          ErrorInfo.of(ErrorCode.INVALID_PARAMETER, "trustStore cannot be used for TLS: " + e.getMessage()), e);
    }
  }

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
