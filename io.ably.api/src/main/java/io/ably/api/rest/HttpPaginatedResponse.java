package io.ably.api.rest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The response of a raw {@link Rest#request} (RSC19, HP1–HP8): the status, headers and error
 * details of the HTTP response, and its body items as JSON text, paginated like any other result.
 * A response with an error status is a result, not a failed stage: look at {@link #success()}.
 *
 * <p>Items are the elements of a body that is an array, or the body itself when it is one object
 * or value; each is compact JSON text (a MessagePack body is converted; binary becomes base64), so
 * no JSON library type appears here. Use the JSON library you like to read them. A response with
 * an error status has no items: its error is in {@link #errorCode()} and {@link #errorMessage()}.
 *
 * @since 0.2
 */
public interface HttpPaginatedResponse extends PaginatedResult<String> {
  /**
   * Returns the HTTP status (HP4).
   *
   * @return the status
   */
  int statusCode();

  /**
   * Tells whether the status is 2xx (HP5).
   *
   * @return {@code true} for success
   */
  boolean success();

  /**
   * Returns the Ably error code of an error response (HP6), from the {@code X-Ably-Errorcode}
   * header or the error body.
   *
   * @return the code, {@code 0} if none
   */
  int errorCode();

  /**
   * Returns the error message of an error response (HP7).
   *
   * @return the message, or {@code null} if none
   */
  String errorMessage();

  /**
   * Returns the response headers (HP8), names in lower case.
   *
   * @return an unmodifiable map from name to its values in order
   */
  Map<String, List<String>> headers();

  /**
   * Fetches the next page as a raw response.
   *
   * @return as {@link PaginatedResult#next()}
   */
  CompletionStage<HttpPaginatedResponse> nextResponse();
}
