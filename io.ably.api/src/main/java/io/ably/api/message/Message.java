package io.ably.api.message;

import io.ably.api.internal.Checks;

/**
 * A message published on a channel (TM1–TM6). Immutable.
 *
 * <p>Create one with {@link #of(String, MessageData)} or {@link #builder()}. Messages received from
 * Ably carry the fields the service assigned: {@link #id()}, {@link #connectionId()},
 * {@link #timestampMillis()} and {@link #serial()}.
 *
 * <p>{@link #encoding()} lists the transforms still applied to {@link #data()}, in the order they
 * were applied (RSL4b). A received message whose payload could be fully decoded has no encoding;
 * one that could not (for example, encrypted with a key this client does not have) is delivered
 * with the data as far as it could be decoded and the remaining encoding (RSL6b).
 *
 * @param id unique id, or {@code null}
 * @param name event name, or {@code null}
 * @param data payload, or {@code null} when there is none
 * @param encoding transforms still applied to {@code data}, or {@code null}
 * @param clientId the publisher's client id, or {@code null}
 * @param connectionId the publisher's connection id, or {@code null}
 * @param connectionKey the connection key to publish on behalf of (REST only), or {@code null}
 * @param timestampMillis milliseconds since the epoch when Ably received it, {@code 0} if unknown
 * @param extras metadata as the text of a JSON object (TM2i), or {@code null}
 * @param serial the serial Ably assigned (TM2r), or {@code null}
 * @param action what the message does (TM5), or {@code null} when not given
 * @since 0.1
 */
public record Message(
    String id,
    String name,
    MessageData data,
    String encoding,
    String clientId,
    String connectionId,
    String connectionKey,
    long timestampMillis,
    String extras,
    String serial,
    MessageAction action) {

  /** Validates the fields. */
  public Message {
    if (timestampMillis < 0) { // not Checks.check: its message would be built for every message
      throw Checks.invalid("timestampMillis must not be negative, was " + timestampMillis);
    }
    Checks.check(encoding == null || !encoding.isEmpty(), "encoding must be null or non-empty");
  }

  /**
   * Creates a message with a name and a payload.
   *
   * @param name the event name, or {@code null}
   * @param data the payload, or {@code null}
   * @return the message
   */
  public static Message of(String name, MessageData data) {
    return new Message(null, name, data, null, null, null, null, 0, null, null, null);
  }

  /**
   * Creates a message with a name and text data.
   *
   * @param name the event name, or {@code null}
   * @param text the text
   * @return the message
   */
  public static Message ofText(String name, String text) {
    return of(name, MessageData.text(text));
  }

  /**
   * Returns the size of this message as Ably counts it against the maximum message size (TM6): the
   * lengths of name, client id and extras plus the size of the data.
   *
   * @return the size
   */
  public int size() {
    return length(name) + length(clientId) + length(extras) + (data == null ? 0 : data.size());
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  /**
   * Returns a builder holding this message's fields.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns an empty builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder of {@link Message}; not thread-safe. */
  public static final class Builder {
    private String id;
    private String name;
    private MessageData data;
    private String encoding;
    private String clientId;
    private String connectionId;
    private String connectionKey;
    private long timestampMillis;
    private String extras;
    private String serial;
    private MessageAction action;

    private Builder() {}

    private Builder(Message m) {
      id = m.id;
      name = m.name;
      data = m.data;
      encoding = m.encoding;
      clientId = m.clientId;
      connectionId = m.connectionId;
      connectionKey = m.connectionKey;
      timestampMillis = m.timestampMillis;
      extras = m.extras;
      serial = m.serial;
      action = m.action;
    }

    /**
     * Sets the id.
     *
     * @param value the id
     * @return this builder
     */
    public Builder id(String value) {
      id = value;
      return this;
    }

    /**
     * Sets the event name.
     *
     * @param value the name
     * @return this builder
     */
    public Builder name(String value) {
      name = value;
      return this;
    }

    /**
     * Sets the payload.
     *
     * @param value the payload
     * @return this builder
     */
    public Builder data(MessageData value) {
      data = value;
      return this;
    }

    /**
     * Sets text data.
     *
     * @param value the text
     * @return this builder
     */
    public Builder text(String value) {
      data = MessageData.text(value);
      return this;
    }

    /**
     * Sets binary data from a copy of the bytes.
     *
     * @param value the bytes
     * @return this builder
     */
    public Builder binary(byte[] value) {
      data = MessageData.binary(value);
      return this;
    }

    /**
     * Sets JSON data from JSON text.
     *
     * @param value the JSON text of an object or array
     * @return this builder
     */
    public Builder json(String value) {
      data = MessageData.json(value);
      return this;
    }

    /**
     * Sets the encoding still applied to the data.
     *
     * @param value the encoding
     * @return this builder
     */
    public Builder encoding(String value) {
      encoding = value;
      return this;
    }

    /**
     * Sets the client id.
     *
     * @param value the client id
     * @return this builder
     */
    public Builder clientId(String value) {
      clientId = value;
      return this;
    }

    /**
     * Sets the connection id.
     *
     * @param value the connection id
     * @return this builder
     */
    public Builder connectionId(String value) {
      connectionId = value;
      return this;
    }

    /**
     * Sets the connection key (REST publish on behalf of a connection).
     *
     * @param value the connection key
     * @return this builder
     */
    public Builder connectionKey(String value) {
      connectionKey = value;
      return this;
    }

    /**
     * Sets the timestamp.
     *
     * @param value milliseconds since the epoch
     * @return this builder
     */
    public Builder timestampMillis(long value) {
      timestampMillis = value;
      return this;
    }

    /**
     * Sets the extras.
     *
     * @param value the text of a JSON object
     * @return this builder
     */
    public Builder extras(String value) {
      extras = value;
      return this;
    }

    /**
     * Sets the serial.
     *
     * @param value the serial
     * @return this builder
     */
    public Builder serial(String value) {
      serial = value;
      return this;
    }

    /**
     * Sets the action.
     *
     * @param value the action
     * @return this builder
     */
    public Builder action(MessageAction value) {
      action = value;
      return this;
    }

    /**
     * Builds the message.
     *
     * @return the message
     * @throws io.ably.api.AblyException (40003) if a field is invalid
     */
    public Message build() {
      return new Message(
          id, name, data, encoding, clientId, connectionId, connectionKey, timestampMillis, extras,
          serial, action);
    }
  }
}
