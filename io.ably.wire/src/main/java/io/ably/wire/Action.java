package io.ably.wire;

/**
 * The action of a ProtocolMessage (TR2). Constants are declared in wire-value order; there are
 * exactly 22, and a number outside 0–21 is a decode error.
 */
public enum Action {
  /** 0: keep-alive from the server; a ping from the client, echoed with its id (RTN13). */
  HEARTBEAT(0),
  /** 1: acknowledges {@code count} messages from {@code msgSerial}. */
  ACK(1),
  /** 2: rejects {@code count} messages from {@code msgSerial}, with an error. */
  NACK(2),
  /** 3: unused placeholder. */
  CONNECT(3),
  /** 4: the connection is established, or its details changed (RTN24). */
  CONNECTED(4),
  /** 5: the client is about to drop the transport. */
  DISCONNECT(5),
  /** 6: the server is about to close the transport; resumable (RTN15h). */
  DISCONNECTED(6),
  /** 7: the client asks to close the connection (RTN12a). */
  CLOSE(7),
  /** 8: the connection is closed. */
  CLOSED(8),
  /** 9: a fatal error: of the connection without {@code channel}, else of that channel. */
  ERROR(9),
  /** 10: attach a channel. */
  ATTACH(10),
  /** 11: the channel is attached. */
  ATTACHED(11),
  /** 12: detach a channel. */
  DETACH(12),
  /** 13: the channel is detached. */
  DETACHED(13),
  /** 14: presence messages. */
  PRESENCE(14),
  /** 15: messages. */
  MESSAGE(15),
  /** 16: a page of the presence set. */
  SYNC(16),
  /** 17: new credentials from the client, or a request for them from the server (RTN22). */
  AUTH(17),
  /** 18: reserved. */
  ACTIVATE(18),
  /** 19: LiveObjects operations. */
  OBJECT(19),
  /** 20: a page of LiveObjects state. */
  OBJECT_SYNC(20),
  /** 21: annotations. */
  ANNOTATION(21);

  private static final Action[] BY_WIRE_VALUE = values();

  private final int wireValue;

  Action(int wireValue) {
    this.wireValue = wireValue;
  }

  /**
   * Returns the number sent on the wire.
   *
   * @return 0 to 21
   */
  public int wireValue() {
    return wireValue;
  }

  /**
   * Returns the action for a wire value.
   *
   * @param value the wire value
   * @return the action, or {@code null} when the value is not one of the 22
   */
  public static Action fromWire(long value) {
    return value >= 0 && value < BY_WIRE_VALUE.length ? BY_WIRE_VALUE[(int) value] : null;
  }

  /**
   * Tells whether the server acknowledges this action with ACK or NACK (RTN7a).
   *
   * @return {@code true} for MESSAGE, PRESENCE, ANNOTATION and OBJECT
   */
  public boolean ackRequired() {
    return this == MESSAGE || this == PRESENCE || this == ANNOTATION || this == OBJECT;
  }
}
