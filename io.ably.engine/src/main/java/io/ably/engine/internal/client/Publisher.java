package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.message.PresenceMessage;
import io.ably.api.message.PublishResult;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionState;
import io.ably.engine.internal.CallbackDispatcher;
import io.ably.engine.internal.ClientLog;
import io.ably.engine.internal.ClientStage;
import io.ably.engine.internal.Counters;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.PublishedState;
import io.ably.engine.internal.transport.Transport;
import io.ably.wire.PayloadEncoder;
import io.ably.wire.ProtocolMessage;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's publishing (RTL6, RTN7, RTN19): checks and encodes each publish, numbers it with
 * the msgSerial, sends it or keeps it until the connection is up or the socket takes writes again,
 * and completes its stage with the ACK or NACK. At most {@code maxQueuedMessages} messages wait at
 * once; a publish beyond that fails at once (42910). One of the conductor's parts; loop-confined.
 */
@EventLoopConfined
final class Publisher {
  /** The largest message the service accepts unless CONNECTED says otherwise (CD2c, TO3l8). */
  static final long DEFAULT_MAX_MESSAGE_SIZE = 65536;

  private final ClientOptions options;
  private final PublishedState published;
  private final CallbackDispatcher callbacks;
  private final Counters counters;
  private final ClientLog log;
  /** Publishes waiting for an ACK/NACK, for the connection or for the socket. */
  private final PublishQueue<Pending> queue = new PublishQueue<>();
  /** The largest message the service accepts (CD2c, TO3l8). */
  private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

  /** What a queued publish stands for. */
  private record Pending(ChannelCore channel, ClientStage<PublishResult> stage) {}

  Publisher(ClientOptions options, PublishedState published, CallbackDispatcher callbacks, Counters counters, ClientLog log) {
    this.options = options;
    this.published = published;
    this.callbacks = callbacks;
    this.counters = counters;
    this.log = log;
  }

  /** Numbers from a recovered msgSerial (RTN16f). */
  void startAt(long msgSerial) {
    queue.startAt(msgSerial);
    published.msgSerial(msgSerial);
  }

  /** The service's maxMessageSize from CONNECTED, when it gives one (CD2c). */
  void maxMessageSize(Long fromService) {
    if (fromService != null && fromService > 0) {
      maxMessageSize = fromService;
    }
  }

  /**
   * RTL6: publishes one protocol message with one or more messages.
   *
   * @param connection the connection's state now
   * @param transport the current transport, or null
   */
  void publish(
      ChannelCore core, List<Message> messages, ClientStage<PublishResult> stage,
      ConnectionState connection, Transport transport) {
    ChannelState cs = core.state();
    if (cs == ChannelState.SUSPENDED || cs == ChannelState.FAILED) {
      refuse(stage, ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID,
          "cannot publish: channel " + core.name + " is " + cs), core, messages.size()); // RTL6c4
      return;
    }
    boolean connected = connection == ConnectionState.CONNECTED && transport != null;
    boolean sendNow = connected && transport.isWritable() && !queue.hasQueued();
    boolean queueIt =
        !sendNow
            && (connected // the socket is full: wait for it, in order
                || (options.queueMessages()
                    && (connection == ConnectionState.INITIALIZED || connection == ConnectionState.CONNECTING
                        || connection == ConnectionState.DISCONNECTED
                        || connection == ConnectionState.CONNECTED))); // RTL6c2
    if (!sendNow && !queueIt) {
      refuse(stage, ClientErrors.notConnected(connection), core, messages.size()); // RTL6c4
      return;
    }
    if (queue.pendingMessages() + messages.size() > options.maxQueuedMessages()) {
      refuse(stage, ErrorInfo.of(ErrorCode.RATE_LIMIT_EXCEEDED,
          "maxQueuedMessages (" + options.maxQueuedMessages() + ") reached: " + queue.pendingMessages()
              + " messages wait for an acknowledgement or for the connection; publish slower or wait"
              + " for earlier stages"), core, messages.size());
      return;
    }
    List<Message> wire = new ArrayList<>(messages.size());
    long size = 0;
    String own = options.clientId();
    for (Message m : messages) {
      if (m.clientId() != null && own != null && !"*".equals(own) && !own.equals(m.clientId())) {
        refuse(stage, ErrorInfo.of(ErrorCode.INVALID_CLIENT_ID,
            "message clientId " + m.clientId() + " does not match the client's " + own), core, messages.size()); // RTL6g3
        return;
      }
      Message encoded;
      try {
        encoded = PayloadEncoder.encode(m, core.cipher());
      } catch (AblyException e) {
        refuse(stage, e.errorInfo(), core, messages.size());
        return;
      }
      size += encoded.size();
      wire.add(encoded);
    }
    if (size > maxMessageSize) {
      refuse(stage, ErrorInfo.of(ErrorCode.MESSAGE_TOO_LARGE,
          "message size " + size + " exceeds the maximum of " + maxMessageSize + " bytes"), core, messages.size()); // RSL1i, TO3l8
      return;
    }
    PublishQueue.Entry<Pending> entry =
        new PublishQueue.Entry<>(core.name, List.copyOf(wire), new Pending(core, stage));
    if (sendNow) {
      transmit(queue.send(entry), transport);
    } else {
      queue.queue(entry);
    }
    counters.pending(queue.pendingMessages());
  }

  /**
   * RTP8, RTP14: publishes one PRESENCE protocol message, numbered by msgSerial and acknowledged
   * like a MESSAGE; the data is encoded, and encrypted with the channel's cipher (RTP8e).
   *
   * @param connection the connection's state now
   * @param transport the current transport, or null
   */
  void publishPresence(
      ChannelCore core, List<PresenceMessage> presence, ClientStage<PublishResult> stage,
      ConnectionState connection, Transport transport) {
    ChannelState cs = core.state();
    if (cs == ChannelState.SUSPENDED || cs == ChannelState.FAILED) {
      refuse(stage, ErrorInfo.of(ErrorCode.CHANNEL_STATE_INVALID,
          "cannot publish presence: channel " + core.name + " is " + cs), core, presence.size());
      return;
    }
    boolean connected = connection == ConnectionState.CONNECTED && transport != null;
    boolean sendNow = connected && transport.isWritable() && !queue.hasQueued();
    boolean queueIt =
        !sendNow
            && (connected
                || (options.queueMessages()
                    && (connection == ConnectionState.INITIALIZED || connection == ConnectionState.CONNECTING
                        || connection == ConnectionState.DISCONNECTED))); // RTL6c2
    if (!sendNow && !queueIt) {
      refuse(stage, ClientErrors.notConnected(connection), core, presence.size());
      return;
    }
    if (queue.pendingMessages() + presence.size() > options.maxQueuedMessages()) {
      refuse(stage, ErrorInfo.of(ErrorCode.RATE_LIMIT_EXCEEDED,
          "maxQueuedMessages (" + options.maxQueuedMessages() + ") reached: " + queue.pendingMessages()
              + " messages wait for an acknowledgement or for the connection"), core, presence.size());
      return;
    }
    List<PresenceMessage> wire = new ArrayList<>(presence.size());
    for (PresenceMessage m : presence) {
      try {
        wire.add(PayloadEncoder.encode(m, core.cipher()));
      } catch (AblyException e) {
        refuse(stage, e.errorInfo(), core, presence.size());
        return;
      }
    }
    PublishQueue.Entry<Pending> entry =
        PublishQueue.Entry.presence(core.name, List.copyOf(wire), new Pending(core, stage));
    if (sendNow) {
      transmit(queue.send(entry), transport);
    } else {
      queue.queue(entry);
    }
    counters.pending(queue.pendingMessages());
  }

  /** Sends what waited for the socket, in order, while it takes writes (connected only). */
  void flush(Transport transport) {
    while (queue.hasQueued() && transport.isWritable()) {
      transmit(queue.send(queue.pollQueued()), transport);
    }
  }

  private void transmit(PublishQueue.Entry<Pending> entry, Transport transport) {
    transport.send(entry.numbered());
    published.msgSerial(queue.nextSerial());
    if (!entry.counted) {
      entry.counted = true;
      counters.published(entry.count);
      entry.owner.channel().published.published(entry.count);
    }
  }

  private void refuse(ClientStage<PublishResult> stage, ErrorInfo error, ChannelCore core, int count) {
    counters.pending(queue.pendingMessages());
    counters.refused(count);
    core.published.refused(count);
    AblyException failure = new AblyException(error);
    callbacks.dispatch("publish stage", () -> stage.fail(failure));
  }

  /** Fails a channel's publishes still waiting for the connection (RTL6c4). */
  void failQueuedFor(ChannelCore core, ErrorInfo error) {
    for (PublishQueue.Entry<Pending> e : queue.removeQueued(p -> p.channel() == core)) {
      refuse(e.owner.stage(), error, core, e.count);
    }
  }

  /** RTN15c7: a new connection numbers from 0. */
  void resetSerial() {
    queue.resetSerial();
    published.msgSerial(queue.nextSerial());
  }

  /** RTN19a: sends what awaits an ACK and what was queued on a new transport, in order. */
  void resend(Transport transport) {
    for (PublishQueue.Entry<Pending> entry : queue.resend()) {
      transmit(entry, transport);
    }
  }

  /** RTN7e, RTN7d: fails every pending publish. */
  void failAll(ErrorInfo reason) {
    for (PublishQueue.Entry<Pending> entry : queue.drain()) {
      refuse(entry.owner.stage(), reason, entry.owner.channel(), entry.count);
    }
  }

  private final PublishQueue.Outcome<Pending> outcome =
      new PublishQueue.Outcome<>() {
        @Override
        public void acknowledged(PublishQueue.Entry<Pending> entry, List<String> serials) {
          counters.pending(queue.pendingMessages()); // before the stage can be seen complete
          counters.acknowledged(entry.count);
          entry.owner.channel().published.acknowledged(entry.count);
          PublishResult result = new PublishResult(serials);
          ClientStage<PublishResult> stage = entry.owner.stage();
          callbacks.dispatch("publish stage", () -> stage.succeed(result));
        }

        @Override
        public void refused(PublishQueue.Entry<Pending> entry, ErrorInfo error) {
          refuse(entry.owner.stage(), error, entry.owner.channel(), entry.count);
        }
      };

  /**
   * An ACK or NACK (RTN7a, RTN7b). One that cannot be true (see
   * {@link PublishQueue#impossibleAck}) resolves nothing: the caller drops the transport as a
   * protocol error, and what is pending is resent on the next one (RTN19a).
   *
   * @return why the message is impossible, or {@code null} once it is applied
   */
  String onAck(ProtocolMessage pm, boolean ack) {
    if (pm.msgSerial() == null) {
      log.log(Level.WARNING, () -> pm.action() + " without msgSerial ignored");
      return null;
    }
    int count = pm.count() == null ? 1 : pm.count();
    String impossible = queue.impossibleAck(pm.msgSerial(), count);
    if (impossible != null) {
      return pm.action() + " " + impossible;
    }
    if (ack) {
      queue.ack(pm.msgSerial(), count, pm.res(), outcome);
    } else {
      ErrorInfo error = pm.error() != null ? pm.error()
          : ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "the service refused the message without a reason");
      queue.nack(pm.msgSerial(), count, error, outcome);
    }
    return null;
  }
}
