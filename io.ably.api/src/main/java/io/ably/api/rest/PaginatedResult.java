package io.ably.api.rest;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One page of a paginated query (TG1–TG7): its items, and the links to the first and next pages
 * that the service gave in its {@code Link} header. Immutable and thread-safe; fetching another
 * page never changes this one.
 *
 * <pre>{@code
 * PaginatedResult<Message> page = channel.history(HistoryParams.defaults().limit(10))
 *     .toCompletableFuture().join();
 * page.items().forEach(m -> System.out.println(m.data()));
 * if (page.hasNext()) {
 *   PaginatedResult<Message> older = page.next().toCompletableFuture().join();
 * }
 * page.all().subscribe(subscriber);          // every item of this page and the later ones, lazily
 * }</pre>
 *
 * <p>Stages complete on the client's callback thread (see {@link io.ably.api.Channel}).
 *
 * @param <T> the item type
 * @since 0.2
 */
public interface PaginatedResult<T> {
  /**
   * Returns this page's items (TG3).
   *
   * @return an unmodifiable list, possibly empty
   */
  List<T> items();

  /**
   * Tells whether the service gave a next page (TG6).
   *
   * @return {@code true} if {@link #next()} fetches one
   */
  boolean hasNext();

  /**
   * Tells whether this is the last page (TG7).
   *
   * @return {@code true} when there is no next page
   */
  boolean isLast();

  /**
   * Fetches the next page (TG4).
   *
   * @return a stage completed with the next page, or with an empty last page when there is none
   *     (never {@code null}); failed with an {@link io.ably.api.AblyException} if the request fails
   */
  CompletionStage<PaginatedResult<T>> next();

  /**
   * Fetches the first page again (TG5).
   *
   * @return a stage completed with the first page; failed with an {@link
   *     io.ably.api.AblyException} if the request fails
   */
  CompletionStage<PaginatedResult<T>> first();

  /**
   * Returns the items of this page and of every later page as a reactive-streams publisher that
   * fetches a page only when its subscriber has asked for more items than it holds, so the pages
   * are never all in memory. Each subscriber walks the pages from this one; a failed request ends
   * the stream with {@code onError} (an {@link io.ably.api.AblyException}). Signals run on the
   * client's callback thread.
   *
   * @return a publisher; each subscription walks the pages anew
   */
  Flow.Publisher<T> all();
}
