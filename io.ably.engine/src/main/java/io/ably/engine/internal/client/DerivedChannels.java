package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.PublishResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the engine does differently for a derived channel (RTS5, {@code [filter=...]name}): it is
 * subscribe-only, so a publish is refused before it reaches the loop. Stateless; any thread.
 */
final class DerivedChannels {
  private DerivedChannels() {}

  /** A stage already failed with 40010, for a publish on a derived channel. */
  static CompletionStage<PublishResult> refusePublish(String name) {
    AblyException refusal =
        new AblyException(
            ErrorInfo.of(
                ErrorCode.INVALID_CHANNEL_NAME,
                "cannot publish to derived channel " + name
                    + ": a derived channel is subscribe-only (RTS5); publish to its base channel"));
    return CompletableFuture.<PublishResult>failedFuture(refusal).minimalCompletionStage();
  }
}
