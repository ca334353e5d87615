package io.ably.wire;

import io.ably.api.ErrorInfo;
import io.ably.api.internal.Checks;
import io.ably.api.message.Message;
import io.ably.api.message.PresenceMessage;
import java.util.List;
import java.util.Map;

/**
 * One frame of the realtime protocol (TR1–TR4). Immutable.
 *
 * <p>Absent scalar fields are {@code null} ({@code flags} is {@code 0}); absent lists and maps are
 * empty, so an encoder omits empty ones and a decoder yields empty ones. Messages inside are in
 * wire form: their {@code encoding} lists what is still applied to their data, except a final
 * {@code base64} that only the JSON transport adds, which the codecs apply and remove themselves.
 *
 * @param action the action, not {@code null}
 * @param flags bit set of {@link Flag}s, {@code 0} when none
 * @param id protocol-message id ({@code connectionId:msgSerial} of the publisher) (TR4n)
 * @param channel channel name for channel-scoped messages (TR4b)
 * @param channelSerial position in the channel or sync cursor
 * @param connectionId connection id (TR4d)
 * @param connectionKey deprecated top-level copy of the connection key
 * @param msgSerial per-connection serial of an ack-requiring message, or first serial of ACK/NACK
 * @param count number of messages an ACK or NACK covers (TR4g)
 * @param timestampMillis send time, milliseconds since the epoch (TR4m)
 * @param error error on ERROR, NACK, DISCONNECTED, DETACHED, ATTACHED, CONNECTED (TR4h)
 * @param connectionDetails details on CONNECTED (TR4o)
 * @param auth credentials on AUTH (TR4p)
 * @param messages messages on MESSAGE (TR4k)
 * @param presence presence messages on PRESENCE and SYNC (TR4l)
 * @param params channel params on ATTACH / ATTACHED, publish params on MESSAGE (TR4q)
 * @param res per acknowledged message, the serials assigned (TR4s)
 */
public record ProtocolMessage(
    Action action,
    int flags,
    String id,
    String channel,
    String channelSerial,
    String connectionId,
    String connectionKey,
    Long msgSerial,
    Integer count,
    Long timestampMillis,
    ErrorInfo error,
    ConnectionDetails connectionDetails,
    AuthDetails auth,
    List<Message> messages,
    List<PresenceMessage> presence,
    Map<String, String> params,
    List<PublishResult> res) {

  /** Validates the action and copies the collections. */
  public ProtocolMessage {
    Checks.notNull(action, "action");
    messages = messages == null ? List.of() : List.copyOf(messages);
    presence = presence == null ? List.of() : List.copyOf(presence);
    params = params == null ? Map.of() : Map.copyOf(params);
    res = res == null ? List.of() : List.copyOf(res);
  }

  /**
   * Tells whether a flag is set.
   *
   * @param flag the flag
   * @return {@code true} if set
   */
  public boolean has(Flag flag) {
    return flag.isSet(flags);
  }

  /**
   * Returns a builder for an action.
   *
   * @param action the action
   * @return a new builder
   */
  public static Builder builder(Action action) {
    return new Builder(action);
  }

  /**
   * Returns a builder holding this message's fields.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(action);
    b.flags = flags;
    b.id = id;
    b.channel = channel;
    b.channelSerial = channelSerial;
    b.connectionId = connectionId;
    b.connectionKey = connectionKey;
    b.msgSerial = msgSerial;
    b.count = count;
    b.timestampMillis = timestampMillis;
    b.error = error;
    b.connectionDetails = connectionDetails;
    b.auth = auth;
    b.messages = messages;
    b.presence = presence;
    b.params = params;
    b.res = res;
    return b;
  }

  /** A builder of {@link ProtocolMessage}; not thread-safe. */
  public static final class Builder {
    private Action action;
    private int flags;
    private String id;
    private String channel;
    private String channelSerial;
    private String connectionId;
    private String connectionKey;
    private Long msgSerial;
    private Integer count;
    private Long timestampMillis;
    private ErrorInfo error;
    private ConnectionDetails connectionDetails;
    private AuthDetails auth;
    private List<Message> messages;
    private List<PresenceMessage> presence;
    private Map<String, String> params;
    private List<PublishResult> res;

    private Builder(Action action) {
      this.action = action;
    }

    /**
     * Sets the action.
     *
     * @param v the action
     * @return this builder
     */
    public Builder action(Action v) {
      action = v;
      return this;
    }

    /**
     * Sets the flags.
     *
     * @param v the flags
     * @return this builder
     */
    public Builder flags(int v) {
      flags = v;
      return this;
    }

    /**
     * Sets one more flag.
     *
     * @param v the flag
     * @return this builder
     */
    public Builder flag(Flag v) {
      flags |= v.mask();
      return this;
    }

    /**
     * Sets the id.
     *
     * @param v the id
     * @return this builder
     */
    public Builder id(String v) {
      id = v;
      return this;
    }

    /**
     * Sets the channel.
     *
     * @param v the channel name
     * @return this builder
     */
    public Builder channel(String v) {
      channel = v;
      return this;
    }

    /**
     * Sets the channel serial.
     *
     * @param v the channel serial
     * @return this builder
     */
    public Builder channelSerial(String v) {
      channelSerial = v;
      return this;
    }

    /**
     * Sets the connection id.
     *
     * @param v the connection id
     * @return this builder
     */
    public Builder connectionId(String v) {
      connectionId = v;
      return this;
    }

    /**
     * Sets the top-level connection key.
     *
     * @param v the connection key
     * @return this builder
     */
    public Builder connectionKey(String v) {
      connectionKey = v;
      return this;
    }

    /**
     * Sets the message serial.
     *
     * @param v the serial
     * @return this builder
     */
    public Builder msgSerial(Long v) {
      msgSerial = v;
      return this;
    }

    /**
     * Sets the count.
     *
     * @param v the count
     * @return this builder
     */
    public Builder count(Integer v) {
      count = v;
      return this;
    }

    /**
     * Sets the timestamp.
     *
     * @param v milliseconds since the epoch
     * @return this builder
     */
    public Builder timestampMillis(Long v) {
      timestampMillis = v;
      return this;
    }

    /**
     * Sets the error.
     *
     * @param v the error
     * @return this builder
     */
    public Builder error(ErrorInfo v) {
      error = v;
      return this;
    }

    /**
     * Sets the connection details.
     *
     * @param v the details
     * @return this builder
     */
    public Builder connectionDetails(ConnectionDetails v) {
      connectionDetails = v;
      return this;
    }

    /**
     * Sets the auth details.
     *
     * @param v the details
     * @return this builder
     */
    public Builder auth(AuthDetails v) {
      auth = v;
      return this;
    }

    /**
     * Sets the messages.
     *
     * @param v the messages
     * @return this builder
     */
    public Builder messages(List<Message> v) {
      messages = v;
      return this;
    }

    /**
     * Sets the presence messages.
     *
     * @param v the presence messages
     * @return this builder
     */
    public Builder presence(List<PresenceMessage> v) {
      presence = v;
      return this;
    }

    /**
     * Sets the params.
     *
     * @param v the params
     * @return this builder
     */
    public Builder params(Map<String, String> v) {
      params = v;
      return this;
    }

    /**
     * Sets the publish results.
     *
     * @param v the results
     * @return this builder
     */
    public Builder res(List<PublishResult> v) {
      res = v;
      return this;
    }

    /**
     * Builds the message.
     *
     * @return the message
     */
    public ProtocolMessage build() {
      return new ProtocolMessage(
          action, flags, id, channel, channelSerial, connectionId, connectionKey, msgSerial, count,
          timestampMillis, error, connectionDetails, auth, messages, presence, params, res);
    }
  }
}
