package io.ably.api.rest;

import io.ably.api.ErrorInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The outcome of a batch publish on one channel (BPR, BPF, RSC22): either the id and serials the
 * service gave the messages, or the error that refused them. A batch in which some channels fail
 * completes normally with some failed results. Immutable.
 *
 * @param channel the channel
 * @param messageId the id prefix of the published messages (BPR2b), or {@code null} on failure
 * @param serials the serials of the published messages, in order (BPR2c; an element is {@code null}
 *     for a message the service discarded), empty on failure
 * @param error why this channel was refused (BPF2b), or {@code null} on success
 * @since 0.2
 */
public record BatchPublishResult(
    String channel, String messageId, List<String> serials, ErrorInfo error) {
  /** Copies the serials. */
  public BatchPublishResult {
    serials = serials == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(serials));
  }

  /**
   * Tells whether the messages were published on this channel.
   *
   * @return {@code true} when there is no error
   */
  public boolean success() {
    return error == null;
  }
}
