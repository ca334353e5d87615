package io.ably.api.message;

/**
 * What a message does to the channel's message history (TM5). Constants are declared in wire-value
 * order.
 *
 * @since 0.1
 */
public enum MessageAction {
  /** 0: a new message. */
  MESSAGE_CREATE(0),
  /** 1: an update of an earlier message. */
  MESSAGE_UPDATE(1),
  /** 2: a deletion of an earlier message. */
  MESSAGE_DELETE(2),
  /** 3: a meta message. */
  META(3),
  /** 4: a summary of annotations on a message. */
  MESSAGE_SUMMARY(4),
  /** 5: an append to an earlier message. */
  MESSAGE_APPEND(5);

  private static final MessageAction[] BY_WIRE_VALUE = values();

  private final int wireValue;

  MessageAction(int wireValue) {
    this.wireValue = wireValue;
  }

  /**
   * Returns the action for a wire value.
   *
   * @param value the wire value
   * @return the action, or {@code null} if the value is not defined
   */
  public static MessageAction fromWire(int value) {
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
