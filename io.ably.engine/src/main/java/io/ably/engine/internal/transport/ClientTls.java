package io.ably.engine.internal.transport;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context of a client's connections, realtime and REST alike. Stateless. */
public final class ClientTls {
  private ClientTls() {}

  /**
   * Builds the TLS context of a client: the JDK's trust or the options' trust store, with the
   * host name checked. Reads trust stores: call it on the creating thread, never on a loop.
   *
   * @param options the options
   * @return the context
   * @throws AblyException (40003) if the trust store cannot be used
   */
  public static SslContext context(ClientOptions options) {
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
}
