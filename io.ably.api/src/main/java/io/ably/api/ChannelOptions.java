package io.ably.api;

import io.ably.api.internal.Checks;
import io.ably.api.spi.SubscriptionStore;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a channel attaches and encodes (TB2): params sent on ATTACH (for example {@code rewind}),
 * the modes requested, cipher parameters for end-to-end encryption, and whether {@code subscribe}
 * attaches implicitly. Immutable; create with {@link #builder()}.
 *
 * @since 0.1
 */
public final class ChannelOptions {
  /**
   * How many live messages a {@link ContinuityPolicy#BACKFILL} holds back while it reads history,
   * by default.
   *
   * @since 0.3
   */
  public static final int DEFAULT_BACKFILL_HOLD_LIMIT = 100_000;

  private static final ChannelOptions DEFAULTS = builder().build();

  private final Map<String, String> params;
  private final Set<ChannelMode> modes;
  private final CipherParams cipher;
  private final boolean attachOnSubscribe;
  private final ContinuityPolicy continuity;
  private final int backfillHoldLimit;
  private final boolean persistent;
  private final SubscriptionStore.Position resumeAfter;
  private final boolean manualAcknowledgement;

  private ChannelOptions(Builder b) {
    this.params = Map.copyOf(b.params);
    this.modes = b.modes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.modes));
    this.cipher = b.cipher;
    this.attachOnSubscribe = b.attachOnSubscribe;
    this.continuity = b.continuity;
    this.backfillHoldLimit = b.backfillHoldLimit;
    this.persistent = b.persistent;
    this.resumeAfter = b.resumeAfter;
    this.manualAcknowledgement = b.manualAcknowledgement;
  }

  /**
   * Returns the options with every default: no params, the service's default modes, no cipher,
   * attach on subscribe.
   *
   * @return the default options
   */
  public static ChannelOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns an empty builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the params sent with ATTACH (TB2c, RTL4k), for example {@code rewind=10} to receive
   * the last ten messages on attach.
   *
   * @return an unmodifiable map, empty for none
   */
  public Map<String, String> params() {
    return params;
  }

  /**
   * Returns the modes requested on ATTACH (TB2d, RTL4l).
   *
   * @return an unmodifiable set, empty to get the service's defaults
   */
  public Set<ChannelMode> modes() {
    return modes;
  }

  /**
   * Returns the cipher parameters that encrypt published data and decrypt received data (TB2b).
   *
   * @return the parameters, or {@code null} for no encryption
   */
  public CipherParams cipher() {
    return cipher;
  }

  /**
   * Returns whether subscribing attaches the channel (TB4, RTL7g).
   *
   * @return {@code true} by default
   */
  public boolean attachOnSubscribe() {
    return attachOnSubscribe;
  }

  /**
   * Returns what the channel does when it loses continuity.
   *
   * @return {@link ContinuityPolicy#NOTIFY} by default
   * @since 0.3
   */
  public ContinuityPolicy continuity() {
    return continuity;
  }

  /**
   * Returns how many live messages a {@link ContinuityPolicy#BACKFILL} holds back while it reads
   * history; past it, the newest are dropped and reported in the {@link
   * io.ably.api.state.ContinuityGap}.
   *
   * @return {@link #DEFAULT_BACKFILL_HOLD_LIMIT} by default
   * @since 0.3
   */
  public int backfillHoldLimit() {
    return backfillHoldLimit;
  }

  /**
   * Returns whether the channel's position is kept in the client's {@link
   * ClientOptions#subscriptionStore()}, so that a later run continues where this one stopped.
   *
   * @return {@code false} by default
   * @since 0.3
   */
  public boolean persistent() {
    return persistent;
  }

  /**
   * Returns the position the application gave for the channel to continue after, if any.
   *
   * @return the last message the application processed, or {@code null} (the default)
   * @see Builder#resumeAfter(SubscriptionStore.Position)
   * @since 0.4
   */
  public SubscriptionStore.Position resumeAfter() {
    return resumeAfter;
  }

  /**
   * Returns whether the stored position of this persistent channel is the last message the
   * application acknowledged with {@link Channel#acknowledge}, rather than the last one delivered.
   *
   * @return {@code false} by default
   * @see Builder#manualAcknowledgement(boolean)
   * @since 0.4
   */
  public boolean manualAcknowledgement() {
    return manualAcknowledgement;
  }

  /**
   * Returns whether applying these options to an attached channel would need a new ATTACH: the
   * params or modes differ (RTL16a, RTS3c1).
   *
   * @param other the options the channel has
   * @return {@code true} if params or modes differ
   */
  public boolean changesAttachment(ChannelOptions other) {
    return !params.equals(other.params) || !modes.equals(other.modes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelOptions c
        && params.equals(c.params)
        && modes.equals(c.modes)
        && Objects.equals(cipher, c.cipher)
        && attachOnSubscribe == c.attachOnSubscribe
        && continuity == c.continuity
        && backfillHoldLimit == c.backfillHoldLimit
        && persistent == c.persistent
        && Objects.equals(resumeAfter, c.resumeAfter)
        && manualAcknowledgement == c.manualAcknowledgement;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        params, modes, cipher, attachOnSubscribe, continuity, backfillHoldLimit, persistent, resumeAfter,
        manualAcknowledgement);
  }

  @Override
  public String toString() {
    return "ChannelOptions{params=" + params + ", modes=" + modes
        + ", cipher=" + (cipher == null ? "none" : cipher.cipherName())
        + ", attachOnSubscribe=" + attachOnSubscribe + ", continuity=" + continuity
        + (continuity == ContinuityPolicy.BACKFILL ? ", backfillHoldLimit=" + backfillHoldLimit : "")
        + (persistent ? ", persistent" : "")
        + (resumeAfter == null ? "" : ", resumeAfter=" + resumeAfter)
        + (manualAcknowledgement ? ", manualAcknowledgement" : "") + "}";
  }

  /** Builds {@link ChannelOptions}; not thread-safe. */
  public static final class Builder {
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Set<ChannelMode> modes = EnumSet.noneOf(ChannelMode.class);
    private CipherParams cipher;
    private boolean attachOnSubscribe = true;
    private ContinuityPolicy continuity = ContinuityPolicy.NOTIFY;
    private int backfillHoldLimit = DEFAULT_BACKFILL_HOLD_LIMIT;
    private boolean persistent;
    private SubscriptionStore.Position resumeAfter;
    private boolean manualAcknowledgement;

    private Builder() {}

    /**
     * Sets whether the application acknowledges what it processed (default {@code false}): the
     * position this {@link #persistent(boolean)} channel keeps in the client's {@link
     * ClientOptions#subscriptionStore()} is then the last message acknowledged with {@link
     * Channel#acknowledge}, not the last one delivered. After a crash the next run continues
     * after that message: nothing acknowledged is delivered again, nothing unacknowledged is lost
     * (at least once, without the application storing positions). Each acknowledgement completes
     * once a store write holding it (or a later one) is forced to disk; writes are grouped, one at
     * a time, on the client's store writer thread. Needs {@code persistent(true)}.
     *
     * @param value the setting
     * @return this builder
     * @since 0.4
     */
    public Builder manualAcknowledgement(boolean value) {
      this.manualAcknowledgement = value;
      return this;
    }

    /**
     * Sets where the channel continues: strictly after the given message, the last one the
     * application processed, read from the application's own durable store (where it was written
     * together with the effects of processing it). This is how an application gets each message
     * exactly once across restarts and crashes: nothing at or before the position is delivered,
     * nothing after it is skipped as long as the service still holds it.
     *
     * <p>When the channel first attaches: if the connection was recovered (RTN16) and the recovery
     * key named this channel, the ATTACH carries the position's serial as its {@code channelSerial}
     * (RTN16j, RTL4c1), and the service resends what follows it (the channel attaches with
     * RESUMED). Otherwise (or if the service cannot resume from there) the attach is a continuity
     * loss from that position, handled by the channel's {@link #continuity(ContinuityPolicy)}:
     * {@link ContinuityPolicy#BACKFILL} reads the messages after it from history, {@link
     * ContinuityPolicy#NOTIFY} reports the loss, {@link ContinuityPolicy#FAIL} fails the
     * subscription. It takes precedence over a position the client's {@link
     * ClientOptions#subscriptionStore()} holds for a {@link #persistent(boolean)} channel, and is
     * read only when the channel is created (later {@code channels().get(name, options)} calls do
     * not move a channel's position). Needs no store.
     *
     * @param position the last message processed (see {@link SubscriptionStore.Position#of}), with
     *     an id or a serial; {@code null} for none (the default)
     * @return this builder
     * @throws AblyException if the position has neither an id nor a serial
     * @since 0.4
     */
    public Builder resumeAfter(SubscriptionStore.Position position) {
      Checks.check(
          position == null || position.lastId() != null || position.lastSerial() != null,
          "resumeAfter: the position must have a message id or serial, was " + position);
      this.resumeAfter = position;
      return this;
    }

    /**
     * Sets whether the channel's position (the last message delivered) is kept in the client's
     * {@link ClientOptions#subscriptionStore()} (default {@code false}). A persistent channel
     * created by a later run of the client, under the same name, continues from that position:
     * through the recovered connection (RTN16) when its recovery key is still valid, otherwise
     * through its {@link ContinuityPolicy} when it first attaches ({@link ContinuityPolicy#BACKFILL}
     * reads the gap from history). Without a store it changes nothing.
     *
     * @param value the setting
     * @return this builder
     * @since 0.3
     */
    public Builder persistent(boolean value) {
      this.persistent = value;
      return this;
    }

    /**
     * Sets what the channel does when it loses continuity (default {@link
     * ContinuityPolicy#NOTIFY}).
     *
     * @param value the policy, not null
     * @return this builder
     * @since 0.3
     */
    public Builder continuity(ContinuityPolicy value) {
      Checks.notNull(value, "continuity");
      this.continuity = value;
      return this;
    }

    /**
     * Sets how many live messages a {@link ContinuityPolicy#BACKFILL} holds back while it reads
     * history (default {@link #DEFAULT_BACKFILL_HOLD_LIMIT}).
     *
     * @param value at least 1
     * @return this builder
     * @since 0.3
     */
    public Builder backfillHoldLimit(int value) {
      Checks.check(value > 0, "backfillHoldLimit must be at least 1, was " + value);
      this.backfillHoldLimit = value;
      return this;
    }

    /**
     * Adds one param sent with ATTACH.
     *
     * @param name the param's name, not blank
     * @param value its value, not null
     * @return this builder
     */
    public Builder param(String name, String value) {
      Checks.check(name != null && !name.isBlank(), "params: a param name must not be blank, was " + name);
      Checks.check(value != null, "params: the value of " + name + " must not be null");
      params.put(name, value);
      return this;
    }

    /**
     * Replaces the params sent with ATTACH.
     *
     * @param values the params
     * @return this builder
     */
    public Builder params(Map<String, String> values) {
      Checks.notNull(values, "params");
      params.clear();
      values.forEach(this::param);
      return this;
    }

    /**
     * Asks for the last {@code count} messages when the channel attaches (the {@code rewind}
     * param).
     *
     * @param count how many messages, at least 1
     * @return this builder
     */
    public Builder rewind(int count) {
      Checks.check(count > 0, "rewind must be at least 1, was " + count);
      return param("rewind", Integer.toString(count));
    }

    /**
     * Sets the modes requested on ATTACH; none gets the service's defaults.
     *
     * @param values the modes
     * @return this builder
     */
    public Builder modes(ChannelMode... values) {
      Checks.notNull(values, "modes");
      modes.clear();
      for (ChannelMode m : values) {
        Checks.notNull(m, "modes");
        modes.add(m);
      }
      return this;
    }

    /**
     * Sets the cipher parameters; {@code null} for none.
     *
     * @param value the parameters
     * @return this builder
     */
    public Builder cipher(CipherParams value) {
      this.cipher = value;
      return this;
    }

    /**
     * Sets whether subscribing attaches the channel (default {@code true}).
     *
     * @param value the setting
     * @return this builder
     */
    public Builder attachOnSubscribe(boolean value) {
      this.attachOnSubscribe = value;
      return this;
    }

    /**
     * Returns the options.
     *
     * @return the immutable options
     */
    public ChannelOptions build() {
      Checks.check(
          !manualAcknowledgement || persistent,
          "manualAcknowledgement needs persistent(true): what is acknowledged is kept in the store");
      return new ChannelOptions(this);
    }
  }
}
