package io.ably.api.rest;

import io.ably.api.message.PresenceMessage;
import java.util.concurrent.CompletionStage;

/**
 * A channel's presence over REST (RSP1–RSP5). Thread-safe; stages complete on the client's callback
 * thread, and presence data is decoded as message data is (RSP5).
 *
 * @since 0.2
 */
public interface RestPresence {
  /**
   * Reads the members present now (RSP3).
   *
   * @param params the query
   * @return a stage completed with the first page of members, each with action PRESENT
   */
  CompletionStage<PaginatedResult<PresenceMessage>> get(PresenceParams params);

  /**
   * Reads the presence history (RSP4).
   *
   * @param params the query; {@code untilAttach} is refused with 40003
   * @return a stage completed with the first page
   */
  CompletionStage<PaginatedResult<PresenceMessage>> history(HistoryParams params);
}
