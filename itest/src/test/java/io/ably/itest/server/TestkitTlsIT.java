package io.ably.itest.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.itest.AblyTestServer;
import io.ably.wire.Action;
import io.ably.wire.WireFormat;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** The optional TLS listener: a generated certificate that a client trusts explicitly. */
class TestkitTlsIT {
  private static final String QUERY = "key=" + AblyTestServer.DEFAULT_KEY.replace(":", "%3A");

  @Test
  void aTlsServerAcceptsClientsThatTrustItsCertificateWithHostnameVerification() throws Exception {
    try (AblyTestServer server = AblyTestServer.builder().tls(true).start()) {
      assertTrue(server.uri().toString().startsWith("wss://127.0.0.1:"), server.uri().toString());
      List<?> names = List.copyOf(server.tlsCertificate().getSubjectAlternativeNames());
      assertTrue(names.toString().contains("127.0.0.1"), names.toString());

      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(server.trustStore());
      SslContext trusting =
          SslContextBuilder.forClient().trustManager(tmf).endpointIdentificationAlgorithm("HTTPS").build();
      try (RawClient c = RawClient.connectTls(server.uri(), QUERY, WireFormat.MSGPACK, trusting)) {
        assertEquals(Action.CONNECTED, c.next().action());
      }

      SslContext defaultTrust = SslContextBuilder.forClient().build();
      assertThrows(
          Exception.class,
          () -> RawClient.connectTls(server.uri(), QUERY, WireFormat.JSON, defaultTrust).close(),
          "a client that does not trust the generated certificate must not connect");
    }
  }
}
