package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import org.junit.jupiter.api.Test;

/**
 * Security (issue #19): a key is never sent in the clear. Basic auth over plain TCP to a host that
 * is not loopback is refused with 40103 when the options are built, so no client, socket or
 * request exists (RSA1); the error does not echo the key's secret. The hosts are names under
 * {@code .invalid}.
 */
class BasicAuthOverPlainTcpIT {
  @Test
  void basicAuthOverPlainTcpToANonLoopbackHostIsRefusedWith40103BeforeAnythingIsSentRSA1() {
    for (String host : new String[] {"realtime.example.invalid", "10.0.0.1.invalid"}) {
      ClientOptions.Builder plain =
          ClientOptions.builder().key("app.key:s3cr3t-never-printed").host(host).tls(false).autoConnect(false);
      AblyException refused = assertThrows(AblyException.class, plain::build, host);
      assertEquals(40103, refused.errorInfo().code(), refused.toString());
      assertTrue(!refused.toString().contains("s3cr3t"), "the error echoes the secret: " + refused);
    }
    // the same key over TLS, or over plain TCP to loopback (the testkit), is accepted
    Ably.realtime(ClientOptions.builder().key("app.key:s3cr3t").host("realtime.example.invalid").autoConnect(false).build()).close();
    Ably.realtime(ClientOptions.builder().key("app.key:s3cr3t").host("127.0.0.1").tls(false).autoConnect(false).build()).close();
  }
}
