package io.ably.engine.internal.rest;

import io.ably.api.rest.PaginatedResult;
import io.ably.engine.internal.rest.LinkHeader.Link;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One page of a paginated query (TG1–TG7), with the links the service gave. Immutable; safe to use
 * from any thread (fetches go through the client's loop).
 *
 * @param <T> the item type
 */
final class Page<T> implements Pageable<T> {
  private final RestCore core;
  private final List<T> items;
  private final Map<String, Link> links;
  private final RestCore.Reader<List<T>> reader;

  Page(RestCore core, List<T> items, Map<String, Link> links, RestCore.Reader<List<T>> reader) {
    this.core = core;
    this.items = List.copyOf(items);
    this.links = Map.copyOf(links);
    this.reader = reader;
  }

  @Override
  public List<T> items() {
    return items;
  }

  @Override
  public boolean hasNext() {
    return links.containsKey("next");
  }

  @Override
  public boolean isLast() {
    return !hasNext();
  }

  @Override
  public CompletionStage<PaginatedResult<T>> next() {
    return follow("next");
  }

  @Override
  public CompletionStage<PaginatedResult<T>> first() {
    return follow("first");
  }

  /** Fetches a linked page on the loop; an absent link gives an empty last page. */
  private CompletionStage<PaginatedResult<T>> follow(String rel) {
    Link link = links.get(rel);
    return core.submit(
        "paginated " + rel,
        done -> {
          if (link == null) {
            done.complete(new Page<>(core, List.of(), Map.of(), reader));
          } else {
            fetch(link, done);
          }
        });
  }

  @Override
  public void fetchNext(CompletableFuture<Pageable<T>> done) {
    CompletableFuture<PaginatedResult<T>> next = new CompletableFuture<>();
    next.whenComplete(
        (p, e) -> {
          if (e != null) {
            done.completeExceptionally(e);
          } else {
            done.complete((Page<T>) p);
          }
        });
    Link link = links.get("next");
    if (link == null) {
      next.complete(new Page<>(core, List.of(), Map.of(), reader));
    } else {
      fetch(link, next);
    }
  }

  private void fetch(Link link, CompletableFuture<PaginatedResult<T>> done) {
    core.page(link.path(), link.query(), reader, done);
  }

  @Override
  public Flow.Publisher<T> all() {
    return new PagePublisher<>(core, this);
  }

  @Override
  public String toString() {
    return "PaginatedResult[" + items.size() + " items, " + (hasNext() ? "more" : "last") + "]";
  }
}
