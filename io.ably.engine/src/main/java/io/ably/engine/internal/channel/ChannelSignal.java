package io.ably.engine.internal.channel;

import io.ably.api.ErrorInfo;
import io.ably.api.state.ConnectionState;
import java.util.Map;
import java.util.Objects;

/**
 * An input to the {@link ChannelStateMachine}: a user call, a protocol message for the channel, a
 * change of connection state or a timer. Each carries the loop clock's {@code nowNanos}.
 */
public sealed interface ChannelSignal {

  /**
   * Returns the loop clock when the signal happened.
   *
   * @return nanoseconds on the conductor's monotonic clock
   */
  long nowNanos();

  /**
   * The user called attach() (RTL4). The stage the user holds completes through {@link
   * ChannelEffect.CompleteAttach} or {@link ChannelEffect.FailAttach} carrying {@code requestId}.
   *
   * @param nowNanos the clock
   * @param requestId the conductor's id for the user's stage; unique per channel
   */
  record Attach(long nowNanos, long requestId) implements ChannelSignal {}

  /**
   * The user called detach() (RTL5); completes through {@link ChannelEffect.CompleteDetach} or
   * {@link ChannelEffect.FailDetach}.
   *
   * @param nowNanos the clock
   * @param requestId the conductor's id for the user's stage; unique per channel
   */
  record Detach(long nowNanos, long requestId) implements ChannelSignal {}

  /**
   * An ATTACHED protocol message for the channel.
   *
   * @param nowNanos the clock
   * @param flags the message's flags
   * @param channelSerial its channelSerial, or {@code null}
   * @param params its params, or {@code null} if absent (RTL4k1)
   * @param error its error, or {@code null} (RTL2d)
   */
  record AttachedReceived(
      long nowNanos, int flags, String channelSerial, Map<String, String> params, ErrorInfo error)
      implements ChannelSignal {
    /** Copies the params. */
    public AttachedReceived {
      params = params == null ? null : Map.copyOf(params);
    }
  }

  /**
   * A DETACHED protocol message for the channel.
   *
   * @param nowNanos the clock
   * @param error its error, or {@code null}
   */
  record DetachedReceived(long nowNanos, ErrorInfo error) implements ChannelSignal {}

  /**
   * An ERROR protocol message naming the channel (RTL14).
   *
   * @param nowNanos the clock
   * @param error its error
   */
  record ErrorReceived(long nowNanos, ErrorInfo error) implements ChannelSignal {
    /** Checks the arguments. */
    public ErrorReceived {
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * A MESSAGE, PRESENCE, ANNOTATION or OBJECT protocol message for the channel carried a
   * channelSerial (RTL15b).
   *
   * @param nowNanos the clock
   * @param channelSerial the serial
   */
  record ChannelSerialReceived(long nowNanos, String channelSerial) implements ChannelSignal {
    /** Checks the arguments. */
    public ChannelSerialReceived {
      Objects.requireNonNull(channelSerial, "channelSerial");
    }
  }

  /**
   * The connection entered a state (RTL3). Feed every connection state change, including the
   * CONNECTED after a resume, to every channel.
   *
   * @param nowNanos the clock
   * @param state the connection state entered
   * @param reason the reason of the connection change, or {@code null}
   */
  record ConnectionStateChanged(long nowNanos, ConnectionState state, ErrorInfo reason)
      implements ChannelSignal {
    /** Checks the arguments. */
    public ConnectionStateChanged {
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * A timer started by {@link ChannelEffect.StartTimer} expired. Stale ids are ignored.
   *
   * @param nowNanos the clock
   * @param kind the kind
   * @param timerId the id it was started with
   */
  record TimerFired(long nowNanos, ChannelTimerKind kind, long timerId) implements ChannelSignal {
    /** Checks the arguments. */
    public TimerFired {
      Objects.requireNonNull(kind, "kind");
    }
  }

  /**
   * The connection is connecting again after CLOSED or FAILED (RTN11d): the channel starts afresh,
   * INITIALIZED with no errorReason and no channelSerial.
   *
   * @param nowNanos the clock
   */
  record Reinitialize(long nowNanos) implements ChannelSignal {}
}
