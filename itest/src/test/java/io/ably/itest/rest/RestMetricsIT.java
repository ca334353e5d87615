package io.ably.itest.rest;

import static io.ably.itest.rest.RestClientIT.await;
import static io.ably.itest.rest.RestClientIT.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientMetrics;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.itest.AblyTestServer;
import io.ably.itest.TestKey;
import io.ably.jmx.AblyJmx;
import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** REST counters on the client's metrics ({@code ClientMetrics.rest()}) and on its MXBean. */
class RestMetricsIT {
  @Test
  void restRequestsFailuresAndLatencyShowInClientMetricsAndJmx() throws Exception {
    MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    TestKey limited = new TestKey("testapp.lim", "s5", "{\"counted\":[\"publish\",\"history\"]}");
    try (AblyTestServer server = AblyTestServer.builder().key(AblyTestServer.DEFAULT_KEY).key(limited).start();
        RealtimeClient client =
            Ably.realtime(
                ClientOptions.builder()
                    .key(limited.keyStr())
                    .host("127.0.0.1")
                    .port(server.port())
                    .tls(false)
                    .autoConnect(false)
                    .name("rest-metrics")
                    .build())) {
      Subscription registered = AblyJmx.register(client, mbeans);
      try {
        for (int i = 0; i < 5; i++) {
          await(client.rest().channels().get("counted").publish("n", Integer.toString(i)));
        }
        // A raw request's error status is a result (HP5), not a failure; a refused publish is one.
        assertEquals(404, await(client.rest().request("GET", "/no/such/thing", Map.of(), null, Map.of())).statusCode());
        failure(client.rest().channels().get("other").publish("n", "x"));
        ClientMetrics m = client.metrics();
        assertEquals(7, m.rest().requests(), m::toString);
        assertEquals(1, m.rest().failures(), m::toString);
        assertTrue(m.rest().latencyP50() != null && m.rest().latencyP99() != null);
        ObjectName name = AblyJmx.objectName(client);
        assertEquals(m.rest().requests(), (long) (Long) mbeans.getAttribute(name, "RestRequests"));
        assertEquals(m.rest().failures(), (long) (Long) mbeans.getAttribute(name, "RestFailures"));
        assertEquals(0L, mbeans.getAttribute(name, "RestFallbacks"));
        assertTrue((Double) mbeans.getAttribute(name, "RestLatencyP50Millis") > 0);
        assertTrue((Double) mbeans.getAttribute(name, "RestLatencyP99Millis") > 0);
      } finally {
        registered.close();
      }
    }
  }
}
