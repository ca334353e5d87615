package io.ably.engine.internal.rest;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.engine.internal.EventLoopConfined;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;

/**
 * The items of a page and of every later page, as a {@link Flow.Publisher}: a page is fetched only
 * when the subscriber's demand exceeds the items at hand, so at most one page is held at a time.
 * Each subscription's state lives on the client's event loop; signals go to the callback thread,
 * in order.
 *
 * @param <T> the item type
 */
final class PagePublisher<T> implements Flow.Publisher<T> {
  private final RestCore core;
  private final Pageable<T> start;

  PagePublisher(RestCore core, Pageable<T> start) {
    this.core = core;
    this.start = start;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber"); // reactive-streams rule 1.9
    Walk w = new Walk(subscriber);
    onLoop(() -> core.dispatch("Flow.Subscriber", () -> subscriber.onSubscribe(w)));
  }

  private void onLoop(Runnable task) {
    try {
      core.loop.execute(task);
    } catch (RejectedExecutionException e) {
      // the client is closed: nothing can be signalled on its callback thread any more
    }
  }

  /** One subscriber's walk through the pages; every field is touched on the loop only. */
  @EventLoopConfined
  private final class Walk implements Flow.Subscription {
    private final Flow.Subscriber<? super T> subscriber;
    private Pageable<T> page = start;
    private int index;
    private long demand;
    private boolean fetching;
    private boolean over;

    Walk(Flow.Subscriber<? super T> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      onLoop(
          () -> {
            if (over) {
              return;
            }
            if (n <= 0) { // rule 3.9
              over = true;
              IllegalArgumentException e =
                  new IllegalArgumentException("request(" + n + "): demand must be positive (rule 3.9)");
              core.dispatch("Flow.Subscriber", () -> subscriber.onError(e));
              return;
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n; // rule 3.17
            drain();
          });
    }

    @Override
    public void cancel() {
      onLoop(() -> over = true);
    }

    private void drain() {
      List<T> items = page.items();
      while (!over && demand > 0 && index < items.size()) {
        T item = items.get(index++);
        demand--;
        core.dispatch("Flow.Subscriber", () -> subscriber.onNext(item));
      }
      if (over || index < items.size()) {
        return;
      }
      if (!page.hasNext()) {
        over = true;
        core.dispatch("Flow.Subscriber", subscriber::onComplete);
        return;
      }
      if (demand > 0 && !fetching) {
        fetching = true;
        CompletableFuture<Pageable<T>> next = new CompletableFuture<>();
        next.whenComplete(
            (p, e) -> {
              fetching = false;
              if (over) {
                return;
              }
              if (e != null) {
                over = true;
                Throwable error =
                    e instanceof AblyException
                        ? e
                        : new AblyException(ErrorInfo.of(ErrorCode.INTERNAL_ERROR, "paging failed: " + e), e);
                core.dispatch("Flow.Subscriber", () -> subscriber.onError(error));
                return;
              }
              page = p;
              index = 0;
              drain();
            });
        page.fetchNext(next);
      }
    }
  }
}
