package io.ably.engine.internal.rest;

import io.ably.api.rest.PaginatedResult;
import java.util.concurrent.CompletableFuture;

/**
 * A page that can fetch its next page on the loop, for {@link PagePublisher} and a channel's
 * backfill.
 *
 * @param <T> the item type
 */
public interface Pageable<T> extends PaginatedResult<T> {
  /**
   * Fetches the next page. Event loop only; there must be one ({@link #hasNext()}).
   *
   * @param done completed on the loop with the next page or the error
   */
  void fetchNext(CompletableFuture<Pageable<T>> done);
}
