package io.ably.engine.internal.client;

import io.ably.engine.internal.transport.Transport;
import io.ably.engine.internal.transport.TransportListener;
import io.ably.wire.ProtocolMessage;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link Network} without sockets for conductor tests: it records the transports opened and what
 * was sent on each, and lets the test say whether a transport takes writes. Like the real one it
 * reports nothing from inside a call. Loop-confined, as the conductor is.
 */
final class ScriptedNetwork implements Network {
  private final EventLoop loop;
  final List<Fake> opened = new ArrayList<>();
  /** The connectivity check's answer. */
  boolean online = true;

  ScriptedNetwork(EventLoop loop) {
    this.loop = loop;
  }

  @Override
  public Transport open(URI uri, TransportListener listener) {
    assert loop.inEventLoop();
    Fake t = new Fake(uri, listener);
    opened.add(t);
    return t;
  }

  @Override
  public void checkConnectivity(Consumer<Boolean> answer) {
    boolean now = online;
    loop.execute(() -> answer.accept(now));
  }

  /** The transport opened last. */
  Fake last() {
    return opened.get(opened.size() - 1);
  }

  /** One scripted transport: open at once, writable unless told otherwise. */
  static final class Fake implements Transport {
    final URI uri;
    final TransportListener listener;
    final List<ProtocolMessage> sent = new ArrayList<>();
    boolean writable = true;
    boolean aborted;

    Fake(URI uri, TransportListener listener) {
      this.uri = uri;
      this.listener = listener;
    }

    @Override
    public boolean send(ProtocolMessage message) {
      if (aborted) {
        return false;
      }
      sent.add(message);
      return true;
    }

    @Override
    public boolean isOpen() {
      return !aborted;
    }

    @Override
    public boolean isWritable() {
      return !aborted && writable;
    }

    @Override
    public void abort() {
      aborted = true;
    }

    /** The actions sent so far, with the channel where there is one. */
    List<String> actions() {
      List<String> out = new ArrayList<>();
      for (ProtocolMessage pm : sent) {
        out.add(pm.action() + (pm.channel() == null ? "" : ":" + pm.channel())
            + (pm.msgSerial() == null ? "" : "#" + pm.msgSerial()));
      }
      return out;
    }
  }
}
