package io.ably.engine.internal.channel;

import io.ably.api.ErrorInfo;
import io.ably.api.state.ChannelStateChange;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;

/**
 * An action the {@link ChannelStateMachine} asks its conductor to perform, in the order given.
 * Within one state change the order is: cancel the old state's timer, send, start the new timer,
 * presence markers, the {@link Emit}, and last the completion of the user's stages, so a stage's
 * continuation sees the new state already announced.
 */
public sealed interface ChannelEffect {

  /**
   * Send ATTACH for the channel (RTL4c).
   *
   * @param channelSerial the channel's last channelSerial (RTL4c1), or {@code null} to omit it
   * @param flags the requested mode flags (RTL4l), 0 for none
   * @param params the params to send (RTL4k); empty to omit them
   */
  record SendAttach(String channelSerial, int flags, Map<String, String> params)
      implements ChannelEffect {
    /** Copies the params. */
    public SendAttach {
      params = Map.copyOf(params);
    }
  }

  /** Send DETACH for the channel (RTL5d). */
  record SendDetach() implements ChannelEffect {}

  /**
   * Schedule a timer; report {@link ChannelSignal.TimerFired} when it expires.
   *
   * @param kind the kind
   * @param timerId the id to report back; never reused within the channel
   * @param delayNanos the delay from the signal's {@code nowNanos}; positive
   */
  record StartTimer(ChannelTimerKind kind, long timerId, long delayNanos)
      implements ChannelEffect {
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
  record CancelTimer(ChannelTimerKind kind, long timerId) implements ChannelEffect {
    /** Checks the arguments. */
    public CancelTimer {
      Objects.requireNonNull(kind, "kind");
    }
  }

  /**
   * Publish the state change to the channel's listeners and set its errorReason if the change has
   * a reason (RTL2).
   *
   * @param change the change
   */
  record Emit(ChannelStateChange change) implements ChannelEffect {
    /** Checks the arguments. */
    public Emit {
      Objects.requireNonNull(change, "change");
    }
  }

  /**
   * Complete the user's attach stage successfully.
   *
   * @param requestId the id from {@link ChannelSignal.Attach}
   */
  record CompleteAttach(long requestId) implements ChannelEffect {}

  /**
   * Fail the user's attach stage.
   *
   * @param requestId the id from {@link ChannelSignal.Attach}
   * @param error the error
   */
  record FailAttach(long requestId, ErrorInfo error) implements ChannelEffect {
    /** Checks the arguments. */
    public FailAttach {
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * Complete the user's detach stage successfully.
   *
   * @param requestId the id from {@link ChannelSignal.Detach}
   */
  record CompleteDetach(long requestId) implements ChannelEffect {}

  /**
   * Fail the user's detach stage.
   *
   * @param requestId the id from {@link ChannelSignal.Detach}
   * @param error the error
   */
  record FailDetach(long requestId, ErrorInfo error) implements ChannelEffect {
    /** Checks the arguments. */
    public FailDetach {
      Objects.requireNonNull(error, "error");
    }
  }

  /** Marker for the presence layer: ATTACHED had HAS_PRESENCE, a SYNC follows (RTP1). */
  record StartPresenceSync() implements ChannelEffect {}

  /**
   * Marker for the presence layer: the presence set is empty now: ATTACHED without HAS_PRESENCE
   * (RTP1, RTP19a), or the channel DETACHED or FAILED (RTP5a).
   */
  record ClearPresence() implements ChannelEffect {}

  /**
   * Log a message; used for signals that do not apply in the current state.
   *
   * @param level the level
   * @param message the text
   */
  record Log(Level level, String message) implements ChannelEffect {
    /** Checks the arguments. */
    public Log {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(message, "message");
    }
  }
}
