package io.ably.api;

import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import java.util.List;
import java.util.Set;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.PaginatedResult;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The presence set of one channel (RTP): who is here, and entering, updating and leaving it.
 * Obtained from {@link Channel#presence()}. Thread-safe: every method may be called from any
 * thread and only hands the work to the client's event loop.
 *
 * <p>Each of {@code enter}, {@code update}, {@code leave} and their {@code *Client} forms sends one
 * PRESENCE protocol message, numbered like a publish, and returns a stage completed on the
 * callback thread when the service acknowledges it (ACK) or failed with an {@link AblyException}
 * when it refuses it (NACK, e.g. 40160 without the presence capability) or it cannot be sent: the
 * channel is DETACHED, DETACHING, SUSPENDED or FAILED (90001, RTP16c), the connection cannot
 * queue it, or, for the forms without a client id, the client has no client id or the wildcard
 * (91000, RTP8j). On an INITIALIZED channel the action attaches it; while the channel is
 * INITIALIZED or ATTACHING the action waits for ATTACHED (RTP16b) and fails if the channel
 * becomes DETACHED, SUSPENDED or FAILED instead (RTP5). Data may be text, JSON or binary and is
 * encrypted with the channel's cipher, if it has one (RTP8e).
 *
 * @since 0.1
 */
public interface RealtimePresence {
  /**
   * Enters this client (its {@code clientId}) into the presence set (RTP8).
   *
   * @param data the member's data, or {@code null}
   * @return a stage completed by the ACK; see the type's description for its failures
   */
  CompletionStage<Void> enter(MessageData data);

  /**
   * Updates this client's data, entering it if it is not present (RTP9).
   *
   * @param data the member's new data, or {@code null}
   * @return as {@link #enter(MessageData)}
   */
  CompletionStage<Void> update(MessageData data);

  /**
   * Removes this client from the presence set (RTP10). Leaving when not present is acknowledged
   * too (RTP10d).
   *
   * @param data the data to leave with, or {@code null}
   * @return as {@link #enter(MessageData)}
   */
  CompletionStage<Void> leave(MessageData data);

  /**
   * Enters a member on behalf of another client id (RTP14, RTP15); needs credentials that allow
   * any client id.
   *
   * @param clientId the member's client id, not {@code null}
   * @param data the member's data, or {@code null}
   * @return as {@link #enter(MessageData)}, without the 91000 check
   * @throws IllegalArgumentException if {@code clientId} is null
   */
  CompletionStage<Void> enterClient(String clientId, MessageData data);

  /**
   * Updates a member on behalf of another client id (RTP15).
   *
   * @param clientId the member's client id, not {@code null}
   * @param data the member's new data, or {@code null}
   * @return as {@link #enterClient(String, MessageData)}
   * @throws IllegalArgumentException if {@code clientId} is null
   */
  CompletionStage<Void> updateClient(String clientId, MessageData data);

  /**
   * Removes a member on behalf of another client id (RTP15).
   *
   * @param clientId the member's client id, not {@code null}
   * @param data the data to leave with, or {@code null}
   * @return as {@link #enterClient(String, MessageData)}
   * @throws IllegalArgumentException if {@code clientId} is null
   */
  CompletionStage<Void> leaveClient(String clientId, MessageData data);

  /**
   * Returns the members present, once the presence set is synced (RTP11).
   *
   * @return as {@link #get(PresenceGetParams)} with {@link PresenceGetParams#DEFAULT}
   */
  CompletionStage<List<PresenceMessage>> get();

  /**
   * Returns the members present (RTP11), as PRESENT messages. Attaches an INITIALIZED channel
   * (RTP11b). Unless {@code params} says not to wait, the stage completes when the current sync
   * ends (RTP11a), on the callback thread. It fails with 90001 if the channel is or becomes
   * DETACHED or FAILED, and with 91005 if it is SUSPENDED and the caller waits for the sync
   * (RTP11d).
   *
   * @param params whether to wait, and filters
   * @return a stage with the members, filtered
   */
  CompletionStage<List<PresenceMessage>> get(PresenceGetParams params);

  /**
   * Subscribes to every presence event (RTP6a), attaching the channel as message subscribe does.
   *
   * @param listener called on the callback thread with each event, in order
   * @return a handle that removes the listener
   */
  Subscription subscribe(Consumer<? super PresenceMessage> listener);

  /**
   * Subscribes to the presence events of one action (RTP6b).
   *
   * @param action ENTER, UPDATE, LEAVE or PRESENT
   * @param listener called on the callback thread with each matching event, in order
   * @return a handle that removes the listener
   */
  Subscription subscribe(PresenceAction action, Consumer<? super PresenceMessage> listener);

  /**
   * Subscribes to the presence events of several actions (RTP6b).
   *
   * @param actions the actions, not empty
   * @param listener called on the callback thread with each matching event, in order
   * @return a handle that removes the listener
   */
  Subscription subscribe(Set<PresenceAction> actions, Consumer<? super PresenceMessage> listener);

  /**
   * Returns whether the presence set is synced now: the channel attached and its sync, if any,
   * ended (RTP13). A point-in-time reading, from any thread.
   *
   * @return true if {@link #get()} would answer at once
   */
  boolean syncComplete();

  /**
   * Returns the channel's presence history (RTP12): the presence events the service stored, over
   * REST with the client's own options and credentials ({@code client.rest()}), decoded with the
   * channel's cipher. Needs no attachment. Each page's stage completes on the callback thread.
   *
   * @param params start, end, direction and limit
   * @return a stage with the first page
   * @since 0.2
   */
  CompletionStage<PaginatedResult<PresenceMessage>> history(HistoryParams params);
}
