package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.engine.internal.EngineLoops;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * {@link io.ably.api.Channel#messages()}: a channel's messages as a reactive-streams publisher
 * that passes the Reactive Streams TCK. Each subscriber gets its own {@link Flow.Subscription}
 * with its own demand and an unbounded buffer of the messages beyond it.
 *
 * <p>Threading: {@code subscribe}, {@code request} and {@code cancel} may be called from any thread
 * and only hand a task to the event loop, which passes it on to the client's callback dispatcher;
 * so they never call the subscriber back themselves (rule 3.3). A subscription's state is touched
 * only by tasks of that dispatcher, which runs them one at a time, in order, on the callback thread
 * (or inline on the loop): its fields are plain, and every signal comes from there (rule 1.3).
 *
 * <p>Each subscription is fed by the channel core's own flow at unbounded demand: messages reach it
 * in order, and the core's completion, when the channel is released, becomes the subscriber's
 * {@code onComplete} once the messages already received have been delivered.
 */
final class ChannelMessages implements Flow.Publisher<Message> {
  private final RealtimeConductor conductor;
  private final ChannelCore core;

  ChannelMessages(RealtimeConductor conductor, ChannelCore core) {
    this.conductor = conductor;
    this.core = core;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super Message> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9
    MessageSubscription subscription = new MessageSubscription(subscriber);
    boolean handed =
        conductor.gate().tryExecute(
            () -> {
              if (conductor.adopt(core)) {
                core.addFlow(subscription.feed);
              } else {
                AblyException released =
                    new AblyException(
                        ErrorInfo.of(
                            ErrorCode.CHANNEL_STATE_INVALID, "channel " + core.name + " was released"));
                conductor.callbacks().dispatch("Flow.Subscriber", () -> subscription.refuse(released));
              }
            });
    if (!handed) {
      // The client is closed and its own loop gone: still onSubscribe then onError (rule 1.9),
      // from the engine's pool, never from this call (rule 3.3).
      AblyException closed =
          new AblyException(ErrorInfo.of(ErrorCode.CONNECTION_CLOSED, "the client is closed"));
      EngineLoops.sharedCallbacks().execute(() -> subscription.refuse(closed));
    }
  }

  /** One subscriber's subscription; its fields are touched by callback-dispatcher tasks only. */
  private final class MessageSubscription implements Flow.Subscription {
    /** The subscriber; null once the subscription has ended, so nothing keeps it (rule 3.13). */
    private Flow.Subscriber<? super Message> subscriber;
    /** The core's flow feeding this subscription; null until it has subscribed. */
    private Flow.Subscription upstream;
    /** Messages received beyond the demand, in order. */
    private final ArrayDeque<Message> buffer = new ArrayDeque<>();
    /** Messages requested and not yet delivered, at most Long.MAX_VALUE (rule 3.17). */
    private long demand;
    /** The channel was released: complete once the buffer is delivered. */
    private boolean completing;
    /** Cancelled, failed or completed: nothing more is signalled (rules 1.7, 3.6, 3.7). */
    private boolean done;

    /** What the channel core's flow calls, on the callback thread. */
    final Flow.Subscriber<Message> feed =
        new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription from) {
            upstream = from;
            from.request(Long.MAX_VALUE); // buffering and demand are this subscription's
            try {
              subscriber.onSubscribe(MessageSubscription.this);
            } catch (RuntimeException e) {
              broken("onSubscribe", e);
            }
          }

          @Override
          public void onNext(Message message) {
            if (!done) {
              buffer.add(message);
              drain();
            }
          }

          @Override
          public void onError(Throwable error) {
            fail(error);
          }

          @Override
          public void onComplete() {
            if (!done) {
              completing = true;
              drain();
            }
          }
        };

    MessageSubscription(Flow.Subscriber<? super Message> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      later(
          () -> {
            if (done) {
              return;
            }
            if (n <= 0) {
              fail(new IllegalArgumentException("non-positive subscription request (rule 3.9): " + n));
              return;
            }
            demand += n;
            if (demand < 0) {
              demand = Long.MAX_VALUE; // rule 3.17: demand beyond Long.MAX_VALUE is unbounded
            }
            drain();
          });
    }

    @Override
    public void cancel() {
      later(this::end);
    }

    /** A released channel: onSubscribe, then onError (rule 1.9), unless cancelled in between. */
    void refuse(AblyException released) {
      done = true;
      Flow.Subscriber<? super Message> s = subscriber;
      try {
        s.onSubscribe(this);
      } catch (RuntimeException e) {
        broken("onSubscribe", e);
        return;
      }
      end();
      signal("onError", () -> s.onError(released));
    }

    /** Delivers what the demand allows; completes once the buffer is empty and the channel gone. */
    private void drain() {
      while (!done && demand > 0 && !buffer.isEmpty()) {
        Message m = buffer.poll();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        try {
          subscriber.onNext(m);
        } catch (RuntimeException e) {
          broken("onNext", e);
          return;
        }
      }
      if (!done && completing && buffer.isEmpty()) {
        Flow.Subscriber<? super Message> s = subscriber;
        end();
        signal("onComplete", s::onComplete);
      }
    }

    private void fail(Throwable error) {
      if (!done) {
        Flow.Subscriber<? super Message> s = subscriber;
        end();
        signal("onError", () -> s.onError(error));
      }
    }

    /** A subscriber method threw: the subscription counts as cancelled (rule 2.13). */
    private void broken(String method, RuntimeException e) {
      end();
      core.published.listenerError();
      conductor.counters().listenerError();
      conductor.logWarning(
          "Flow subscriber of " + core.name + " threw from " + method + "; its subscription is cancelled", e);
    }

    /** Ends the subscription: no more signals, nothing kept, the core's flow cancelled. */
    private void end() {
      done = true;
      buffer.clear();
      subscriber = null;
      if (upstream != null) {
        upstream.cancel();
        upstream = null;
      }
    }

    private void signal(String method, Runnable terminal) {
      try {
        terminal.run();
      } catch (RuntimeException e) {
        core.published.listenerError();
        conductor.counters().listenerError();
        conductor.logWarning("Flow subscriber of " + core.name + " threw from " + method, e);
      }
    }

    /** Runs a task after the current callbacks, on the callback thread; never synchronously. */
    private void later(Runnable task) {
      // Once the client's own event loop has shut down, nothing will be signalled any more.
      conductor.gate().execute(() -> conductor.callbacks().dispatch("Flow.Subscription", task));
    }
  }
}
