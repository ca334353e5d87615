package io.ably.engine.internal.client;

import io.ably.api.ChannelOptions;
import io.ably.api.message.Message;
import io.ably.api.rest.Direction;
import io.ably.api.rest.HistoryParams;
import io.ably.engine.internal.EventLoopConfined;
import io.ably.engine.internal.rest.Pageable;
import io.ably.engine.internal.rest.RealRest;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A channel's history over the client's REST operations, for its {@link Backfill}: requests are
 * made on the loop and their pages complete on it. Loop-confined.
 */
@EventLoopConfined
final class RestHistorySource implements Backfill.HistorySource {
  private final RealRest rest;
  private final String channel;
  private final Supplier<ChannelOptions> options;

  RestHistorySource(RealRest rest, String channel, Supplier<ChannelOptions> options) {
    this.rest = rest;
    this.channel = channel;
    this.options = options;
  }

  @Override
  public void read(
      String attachSerial, long startMillis, int limit, BiConsumer<Backfill.HistoryPage, Throwable> done) {
    HistoryParams params = HistoryParams.defaults().direction(Direction.BACKWARDS).limit(limit);
    if (startMillis > 0) {
      params = params.start(Instant.ofEpochMilli(startMillis));
    }
    CompletableFuture<Pageable<Message>> first = new CompletableFuture<>();
    first.whenComplete((p, e) -> done.accept(e == null ? new PageView(p) : null, e));
    rest.historyOnLoop(channel, options.get(), params, attachSerial, first);
  }

  /** A REST page seen as a backfill's page. */
  private record PageView(Pageable<Message> page) implements Backfill.HistoryPage {
    @Override
    public List<Message> items() {
      return page.items();
    }

    @Override
    public boolean hasNext() {
      return page.hasNext();
    }

    @Override
    public void next(BiConsumer<Backfill.HistoryPage, Throwable> done) {
      CompletableFuture<Pageable<Message>> next = new CompletableFuture<>();
      next.whenComplete((p, e) -> done.accept(e == null ? new PageView(p) : null, e));
      page.fetchNext(next);
    }
  }
}
