package io.ably.api.message;

import io.ably.api.internal.Checks;
import java.util.Collections;
import java.util.List;

/**
 * What the service said about a published batch (RTL6j, TR4s): the serial it assigned to each
 * message, in the order the messages were published. A serial is {@code null} where the service
 * assigned none (for example, a message it discarded as a duplicate). Immutable.
 *
 * @param serials one serial per published message
 * @since 0.1
 */
public record PublishResult(List<String> serials) {

  /** Copies the list, which may hold nulls. */
  public PublishResult {
    Checks.notNull(serials, "serials");
    serials = Collections.unmodifiableList(new java.util.ArrayList<>(serials));
  }
}
