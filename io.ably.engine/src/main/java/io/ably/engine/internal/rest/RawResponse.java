package io.ably.engine.internal.rest;

import io.ably.api.rest.HttpPaginatedResponse;
import io.ably.api.rest.PaginatedResult;
import io.ably.engine.internal.rest.LinkHeader.Link;
import io.ably.wire.RestBodies;
import io.ably.wire.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The response of a raw request (RSC19, HP1–HP8): status, headers, error details and the body's
 * items as JSON text, paginated by its {@code Link} header. Immutable.
 */
final class RawResponse implements HttpPaginatedResponse, Pageable<String> {
  private final RestCore core;
  private final int statusCode;
  private final int errorCode;
  private final String errorMessage;
  private final Map<String, List<String>> headers;
  private final List<String> items;
  private final Map<String, Link> links;
  private final Map<String, String> requestHeaders;

  private RawResponse(
      RestCore core, int statusCode, int errorCode, String errorMessage,
      Map<String, List<String>> headers, List<String> items, Map<String, Link> links,
      Map<String, String> requestHeaders) {
    this.core = core;
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.headers = headers;
    this.items = List.copyOf(items);
    this.links = Map.copyOf(links);
    this.requestHeaders = requestHeaders;
  }

  /**
   * The reader of a raw response.
   *
   * @param core the client
   * @param path the request's path, to resolve links against
   * @param requestHeaders the caller's extra headers, sent again for later pages
   * @return the reader
   */
  static RestCore.Reader<RawResponse> reader(RestCore core, String path, Map<String, String> requestHeaders) {
    return (r, f) -> {
      int errorCode = 0;
      String errorMessage = null;
      if (r.status() >= 400) {
        io.ably.api.ErrorInfo e = RestCore.errorOf(r, null);
        errorCode = e.code();
        errorMessage = e.message();
      }
      List<String> items = r.status() >= 400 ? List.of() : items(f, r.body());
      return new RawResponse(
          core, r.status(), errorCode, errorMessage, r.headers(), items,
          LinkHeader.parse(r.headers().get("link"), path), requestHeaders);
    };
  }

  private static List<String> items(WireFormat format, byte[] body) {
    Object tree = RestBodies.read(format, body);
    if (tree == null) {
      return List.of();
    }
    if (tree instanceof List<?> list) {
      List<String> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(RestBodies.toJson(o));
      }
      return out;
    }
    return List.of(RestBodies.toJson(tree));
  }

  @Override
  public int statusCode() {
    return statusCode;
  }

  @Override
  public boolean success() {
    return statusCode >= 200 && statusCode < 300;
  }

  @Override
  public int errorCode() {
    return errorCode;
  }

  @Override
  public String errorMessage() {
    return errorMessage;
  }

  @Override
  public Map<String, List<String>> headers() {
    return headers;
  }

  @Override
  public List<String> items() {
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
  public CompletionStage<HttpPaginatedResponse> nextResponse() {
    return core.submit("request next", done -> follow("next", done));
  }

  @Override
  public CompletionStage<PaginatedResult<String>> next() {
    return core.submit("request next", done -> follow("next", done));
  }

  @Override
  public CompletionStage<PaginatedResult<String>> first() {
    return core.submit("request first", done -> follow("first", done));
  }

  private void follow(String rel, CompletableFuture<? super RawResponse> done) {
    Link link = links.get(rel);
    if (link == null) {
      done.complete(
          new RawResponse(core, statusCode, 0, null, Map.of(), List.of(), Map.of(), requestHeaders));
      return;
    }
    CompletableFuture<RawResponse> f = new CompletableFuture<>();
    f.whenComplete(
        (v, e) -> {
          if (e != null) {
            done.completeExceptionally(e);
          } else {
            done.complete(v);
          }
        });
    core.execute(
        "GET", link.path(), link.query(), null, requestHeaders, true,
        reader(core, link.path(), requestHeaders), f);
  }

  @Override
  public void fetchNext(CompletableFuture<Pageable<String>> done) {
    follow("next", done);
  }

  @Override
  public Flow.Publisher<String> all() {
    return new PagePublisher<>(core, this);
  }
}
