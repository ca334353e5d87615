package io.ably.api.message;

import io.ably.api.internal.Checks;

/**
 * A presence message: a member entering, updating, leaving or being present (TP1–TP3). Immutable.
 *
 * @param id unique id, or {@code null}
 * @param action the action, not {@code null}
 * @param clientId the member's client id, or {@code null}
 * @param connectionId the member's connection id, or {@code null}
 * @param data payload, or {@code null}
 * @param encoding transforms still applied to {@code data}, or {@code null} (see {@link Message})
 * @param extras metadata as the text of a JSON object, or {@code null}
 * @param timestampMillis milliseconds since the epoch, {@code 0} if unknown
 * @since 0.1
 */
public record PresenceMessage(
    String id,
    PresenceAction action,
    String clientId,
    String connectionId,
    MessageData data,
    String encoding,
    String extras,
    long timestampMillis) {

  /** Validates the fields. */
  public PresenceMessage {
    Checks.notNull(action, "action");
    if (timestampMillis < 0) { // not Checks.check: its message would be built for every message
      throw Checks.invalid("timestampMillis must not be negative, was " + timestampMillis);
    }
    Checks.check(encoding == null || !encoding.isEmpty(), "encoding must be null or non-empty");
  }

  /**
   * Creates a presence message for an action by a client.
   *
   * @param action the action
   * @param clientId the member's client id
   * @param data the payload, or {@code null}
   * @return the message
   */
  public static PresenceMessage of(PresenceAction action, String clientId, MessageData data) {
    return new PresenceMessage(null, action, clientId, null, data, null, null, 0);
  }

  /**
   * Returns the key that identifies a member in a presence set (TP3h): one client on one
   * connection.
   *
   * @return {@code connectionId + ":" + clientId}
   */
  public String memberKey() {
    return connectionId + ":" + clientId;
  }

  /**
   * Returns a copy with other data and encoding.
   *
   * @param newData the payload
   * @param newEncoding the encoding still applied to it, or {@code null}
   * @return the copy
   */
  public PresenceMessage withData(MessageData newData, String newEncoding) {
    return new PresenceMessage(
        id, action, clientId, connectionId, newData, newEncoding, extras, timestampMillis);
  }
}
