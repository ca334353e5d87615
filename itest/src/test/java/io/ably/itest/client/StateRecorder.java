package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records every connection state change, in order, and asserts the exact sequence. */
final class StateRecorder {
  final BlockingQueue<ConnectionStateChange> changes = new LinkedBlockingQueue<>();

  /** The next change, waiting up to 15 s. */
  ConnectionStateChange next() throws InterruptedException {
    ConnectionStateChange c = changes.poll(15, TimeUnit.SECONDS);
    assertNotNull(c, "no state change within 15 s");
    return c;
  }

  /** The next change, which must enter {@code state}. */
  ConnectionStateChange expect(ConnectionState state) throws InterruptedException {
    ConnectionStateChange c = next();
    assertEquals(state, c.current(), () -> "unexpected change " + c);
    return c;
  }

  /** Asserts that no change arrives within {@code quiet}. */
  void expectNothing(Duration quiet) throws InterruptedException {
    ConnectionStateChange c = changes.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    assertNull(c, () -> "unexpected change " + c);
  }
}
