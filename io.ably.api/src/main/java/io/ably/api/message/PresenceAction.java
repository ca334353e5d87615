package io.ably.api.message;

/**
 * The action of a presence message (TP2). Constants are declared in wire-value order.
 *
 * @since 0.1
 */
public enum PresenceAction {
  /** 0: not present; only seen inside a presence map during a sync. */
  ABSENT(0),
  /** 1: present; what a sync and a presence query report. */
  PRESENT(1),
  /** 2: the member entered. */
  ENTER(2),
  /** 3: the member left. */
  LEAVE(3),
  /** 4: the member updated its data. */
  UPDATE(4);

  private static final PresenceAction[] BY_WIRE_VALUE = values();

  private final int wireValue;

  PresenceAction(int wireValue) {
    this.wireValue = wireValue;
  }

  /**
   * Returns the action for a wire value.
   *
   * @param value the wire value
   * @return the action, or {@code null} if the value is not defined
   */
  public static PresenceAction fromWire(int value) {
    return value >= 0 && value < BY_WIRE_VALUE.length ? BY_WIRE_VALUE[value] : null;
  }

  /**
   * Returns the wire value.
   *
   * @return the number sent on the wire
   */
  public int wireValue() {
    return wireValue;
  }
}
