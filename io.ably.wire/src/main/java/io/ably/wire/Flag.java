package io.ably.wire;

/** The bits of a ProtocolMessage's {@code flags} field (TR3). */
public enum Flag {
  /** Bit 0, ATTACHED: a presence SYNC follows (RTP1). */
  HAS_PRESENCE(0),
  /** Bit 1, ATTACHED: a resume or rewind backlog follows (RTL2i). */
  HAS_BACKLOG(1),
  /** Bit 2, ATTACHED: channel continuity was preserved (RTL2f). */
  RESUMED(2),
  /** Bit 3: historic, no longer defined. */
  HAS_LOCAL_PRESENCE(3),
  /** Bit 4 (TR3e). */
  TRANSIENT(4),
  /** Bit 5, ATTACH: not a clean attach; deprecated in spec 6.1 (TR3f). */
  ATTACH_RESUME(5),
  /** Bit 7, ATTACHED: LiveObjects sync follows (TR3h). */
  HAS_OBJECTS(7),
  /** Bit 16, mode: may enter presence (TR3q). */
  PRESENCE(16),
  /** Bit 17, mode: may publish (TR3r). */
  PUBLISH(17),
  /** Bit 18, mode: receives messages (TR3s). */
  SUBSCRIBE(18),
  /** Bit 19, mode: receives presence (TR3t). */
  PRESENCE_SUBSCRIBE(19),
  /** Bit 21, mode: may publish annotations (TR3w). */
  ANNOTATION_PUBLISH(21),
  /** Bit 22, mode: receives annotations (TR3x). */
  ANNOTATION_SUBSCRIBE(22),
  /** Bit 24, mode: receives LiveObjects (TR3y). */
  OBJECT_SUBSCRIBE(24),
  /** Bit 25, mode: may publish LiveObjects (TR3z). */
  OBJECT_PUBLISH(25);

  /** The four classic modes: PRESENCE, PUBLISH, SUBSCRIBE and PRESENCE_SUBSCRIBE. */
  public static final int DEFAULT_MODES =
      PRESENCE.mask | PUBLISH.mask | SUBSCRIBE.mask | PRESENCE_SUBSCRIBE.mask;

  /** Every mode bit. */
  public static final int ALL_MODES =
      DEFAULT_MODES
          | ANNOTATION_PUBLISH.mask
          | ANNOTATION_SUBSCRIBE.mask
          | OBJECT_SUBSCRIBE.mask
          | OBJECT_PUBLISH.mask;

  private final int mask;

  Flag(int bit) {
    this.mask = 1 << bit;
  }

  /**
   * Returns this flag's bit as a mask.
   *
   * @return {@code 1 << bit}
   */
  public int mask() {
    return mask;
  }

  /**
   * Tells whether this flag is set in a flags value.
   *
   * @param flags a flags value
   * @return {@code true} if set
   */
  public boolean isSet(int flags) {
    return (flags & mask) != 0;
  }
}
