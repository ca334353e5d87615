package io.ably.itest.readme;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.itest.AblyTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the README's typed-events sample against the testkit. An IT, so on the class path: the
 * sample's record lives in a test package that io.ably.itest does not export, which a modular
 * application must do for its event records (the README says so).
 */
class ReadmeTypedEventsIT {
  @Test
  @Timeout(60)
  void theTypedEventsSampleRunsAgainstTheTestkit() {
    try (AblyTestServer server = AblyTestServer.builder().start();
        RealtimeClient client =
            Ably.realtime(
                ClientOptions.builder()
                    .key(server.defaultKey().keyStr())
                    .host("127.0.0.1")
                    .port(server.port())
                    .tls(false)
                    .build())) {
      ReadmeExamples.typedEvents(client); // publishes a Trade and waits to receive it, or times out
    }
  }
}
