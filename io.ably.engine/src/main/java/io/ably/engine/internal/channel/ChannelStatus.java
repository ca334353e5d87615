package io.ably.engine.internal.channel;

import io.ably.api.state.ChannelState;
import java.util.Map;
import java.util.Objects;

/** The per-state data of one channel: one record per {@link ChannelState}. */
public sealed interface ChannelStatus {

  /**
   * Returns the public state this record stands for.
   *
   * @return the state
   */
  ChannelState state();

  /**
   * Returns the id of the timer this state holds armed, or 0 if none.
   *
   * @return the timer id
   */
  default long timerId() {
    return 0;
  }

  /** Never attached. */
  record Initialized() implements ChannelStatus {
    @Override
    public ChannelState state() {
      return ChannelState.INITIALIZED;
    }
  }

  /**
   * Waiting for ATTACHED.
   *
   * @param attempt how many attaches failed in a row before this one (RTB1 retry count), 0 for
   *     the first
   * @param timerId the ATTACH timer, or 0 while ATTACH is not sent because the connection is not
   *     CONNECTED (RTL4i)
   */
  record Attaching(int attempt, long timerId) implements ChannelStatus {
    @Override
    public ChannelState state() {
      return ChannelState.ATTACHING;
    }

    /**
     * Tells whether ATTACH was sent and is awaited.
     *
     * @return {@code true} if sent
     */
    public boolean sent() {
      return timerId != 0;
    }
  }

  /**
   * Attached.
   *
   * @param resumed whether the last ATTACHED had RESUMED (RTL2f)
   * @param attachSerial the channelSerial of the last ATTACHED without RESUMED (RTL15c), or
   *     {@code null}
   * @param modes the granted mode flags decoded from ATTACHED (RTL4m)
   * @param params the params from ATTACHED, empty if absent (RTL4k1)
   */
  record Attached(boolean resumed, String attachSerial, int modes, Map<String, String> params)
      implements ChannelStatus {
    /** Copies the params. */
    public Attached {
      params = Map.copyOf(params);
    }

    @Override
    public ChannelState state() {
      return ChannelState.ATTACHED;
    }
  }

  /**
   * Waiting for DETACHED.
   *
   * @param previous the state to return to if DETACH times out (RTL5f)
   * @param timerId the DETACH timer
   */
  record Detaching(Attached previous, long timerId) implements ChannelStatus {
    /** Checks the arguments. */
    public Detaching {
      Objects.requireNonNull(previous, "previous");
    }

    @Override
    public ChannelState state() {
      return ChannelState.DETACHING;
    }
  }

  /** Detached. */
  record Detached() implements ChannelStatus {
    @Override
    public ChannelState state() {
      return ChannelState.DETACHED;
    }
  }

  /**
   * Suspended; re-attaches when the retry timer fires or the connection becomes CONNECTED.
   *
   * @param attempt the RTB1 retry count of the next attach
   * @param retryAtNanos when the retry timer fires, or 0 if none is armed (connection not
   *     CONNECTED: RTL3d re-attaches)
   * @param timerId the RETRY timer, or 0
   */
  record Suspended(int attempt, long retryAtNanos, long timerId) implements ChannelStatus {
    @Override
    public ChannelState state() {
      return ChannelState.SUSPENDED;
    }
  }

  /**
   * Failed.
   *
   * @param error why
   */
  record Failed(io.ably.api.ErrorInfo error) implements ChannelStatus {
    /** Checks the arguments. */
    public Failed {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public ChannelState state() {
      return ChannelState.FAILED;
    }
  }
}
