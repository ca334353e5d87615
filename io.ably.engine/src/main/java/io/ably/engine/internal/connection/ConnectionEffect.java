package io.ably.engine.internal.connection;

import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionStateChange;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * An action the {@link ConnectionStateMachine} asks its conductor to perform. A transition's
 * effects are applied in the order given. Within one state change the order is: leave the old
 * state (cancel its timers, close its transport), bring the client's world in line with the new
 * state (msgSerial, pending messages, channels, new timers and transport), and last the
 * {@link Emit}, so that a listener, even one running inline on the loop, sees a consistent client.
 */
public sealed interface ConnectionEffect {

  /**
   * Open a transport (RTN2), after getting a token if the client uses token auth. Its outcome comes
   * back as {@link ConnectionSignal.TransportSignal}s carrying {@code transportId}.
   *
   * @param transportId the id of this transport; never reused
   * @param host the host to connect to (RTN17i: the primary first on each new attempt)
   * @param port the port
   * @param key the resume or recover key to send, if any
   * @param renewToken whether a new token must be obtained first, even if the current one looks
   *     valid (RTN14b, RTN15h2)
   */
  record OpenTransport(long transportId, String host, int port, ConnectKey key, boolean renewToken)
      implements ConnectionEffect {
    /** Checks the arguments. */
    public OpenTransport {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Close the transport and forget it; signals it sends later are stale. Idempotent: the transport
   * may already be gone.
   *
   * @param transportId the transport
   */
  record CloseTransport(long transportId) implements ConnectionEffect {}

  /**
   * Send a CLOSE protocol message on the transport (RTN12a).
   *
   * @param transportId the transport
   */
  record SendClose(long transportId) implements ConnectionEffect {}

  /**
   * Send AUTH with the client's current token on this transport (RTC8a, RTN22): in-band
   * re-authentication; the service answers with CONNECTED (same connection id) or ERROR.
   *
   * @param transportId the transport
   */
  record SendAuth(long transportId) implements ConnectionEffect {}

  /**
   * GET the connectivity check URL and report a {@link ConnectionSignal.ConnectivityChecked}
   * (RTN17j, REC3).
   *
   * @param checkId the id to report back
   */
  record CheckConnectivity(long checkId) implements ConnectionEffect {}

  /**
   * Schedule a timer; report {@link ConnectionSignal.TimerFired} when it expires.
   *
   * @param kind the kind
   * @param timerId the id to report back; never reused
   * @param delayNanos the delay from the signal's {@code nowNanos}; positive
   */
  record StartTimer(TimerKind kind, long timerId, long delayNanos) implements ConnectionEffect {
    /** Checks the arguments. */
    public StartTimer {
      Objects.requireNonNull(kind, "kind");
    }
  }

  /**
   * Cancel a timer that is armed.
   *
   * @param kind the kind
   * @param timerId the id of the timer
   */
  record CancelTimer(TimerKind kind, long timerId) implements ConnectionEffect {
    /** Checks the arguments. */
    public CancelTimer {
      Objects.requireNonNull(kind, "kind");
    }
  }

  /**
   * Publish the state change and deliver it to listeners (RTN4).
   *
   * @param change the change
   */
  record Emit(ConnectionStateChange change) implements ConnectionEffect {
    /** Checks the arguments. */
    public Emit {
      Objects.requireNonNull(change, "change");
    }
  }

  /**
   * Reset msgSerial to 0, so messages sent or resent from now on are numbered afresh (RTN15c7,
   * RTN19a2, RTN11d, RTN16f).
   */
  record ResetMsgSerial() implements ConnectionEffect {}

  /**
   * Send the messages that await an ACK/NACK and the queued ones on the new transport, in order
   * (RTN19a, RTL6c2). After a {@link ResetMsgSerial} they take new serials (RTN19a2); otherwise
   * they keep their original serials.
   */
  record ResendPending() implements ConnectionEffect {}

  /**
   * Fail every message awaiting an ACK/NACK and every queued message with {@code reason} (RTN7e,
   * RTN7d).
   *
   * @param reason the error to fail them with
   */
  record FailPending(ErrorInfo reason) implements ConnectionEffect {
    /** Checks the arguments. */
    public FailPending {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Re-attach every ATTACHING, ATTACHED and SUSPENDED channel (RTL3d), including after a resume.
   *
   * @param resumed whether the connection was resumed or recovered (RTN15c6) rather than replaced
   */
  record ReattachChannels(boolean resumed) implements ConnectionEffect {}

  /**
   * Move ATTACHING and ATTACHED channels to SUSPENDED (RTL3c).
   *
   * @param reason the error to report with the channel change
   */
  record SuspendChannels(ErrorInfo reason) implements ConnectionEffect {
    /** Checks the arguments. */
    public SuspendChannels {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Move ATTACHING and ATTACHED channels to DETACHED (RTL3b). */
  record DetachChannels() implements ConnectionEffect {}

  /**
   * Move ATTACHING and ATTACHED channels to FAILED (RTL3a).
   *
   * @param reason the error to report with the channel change
   */
  record FailChannels(ErrorInfo reason) implements ConnectionEffect {
    /** Checks the arguments. */
    public FailChannels {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Move every channel to INITIALIZED and clear its errorReason (RTN11d). */
  record ReinitializeChannels() implements ConnectionEffect {}

  /**
   * Log a message; used for signals that do not apply in the current state.
   *
   * @param level the level
   * @param message the text
   */
  record Log(Level level, String message) implements ConnectionEffect {
    /** Checks the arguments. */
    public Log {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(message, "message");
    }
  }
}
