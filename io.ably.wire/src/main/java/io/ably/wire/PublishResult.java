package io.ably.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The serials assigned to the messages of one acknowledged ProtocolMessage (TR4s, PBR2), one per
 * message, in order; an element is {@code null} when the message was discarded by conflation.
 *
 * @param serials the serials, unmodifiable; elements may be {@code null}
 */
public record PublishResult(List<String> serials) {
  /** Copies the serials. */
  public PublishResult {
    serials = serials == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(serials));
  }
}
