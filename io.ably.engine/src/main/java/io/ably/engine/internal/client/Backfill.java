package io.ably.engine.internal.client;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.message.Message;
import io.ably.api.state.ChannelStateChange;
import io.ably.api.state.ContinuityGap;
import io.ably.engine.internal.EventLoopConfined;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The gap-free delivery of one channel with the BACKFILL or FAIL policy, between its {@link
 * ChannelCore} and its subscribers: remembers the last message delivered (the anchor) and the ids
 * of recent ones; on a continuity loss reads history backwards from the new attach point until it
 * meets the anchor, delivers what it found in order, then the live messages it held meanwhile, with
 * no message twice. Owned by the channel's event loop; history completes on that loop too.
 */
@EventLoopConfined
final class Backfill {
  /** History page size: the service's largest (RSL2b3). */
  static final int PAGE_SIZE = 1000;

  /** How many delivered message ids are remembered to drop a duplicate. */
  static final int RECENT_IDS = 10_000;

  /** Reads a channel's message history, newest first. Every callback runs on the loop. */
  interface HistorySource {
    /**
     * Reads the first page, backwards.
     *
     * @param attachSerial the attach point: nothing after it (RTL10b's untilAttach)
     * @param startMillis the oldest timestamp wanted, or 0 for no bound
     * @param limit the page size
     * @param done called on the loop with the page or what failed
     */
    void read(String attachSerial, long startMillis, int limit, BiConsumer<HistoryPage, Throwable> done);
  }

  /** One page of history, newest first. */
  interface HistoryPage {
    List<Message> items();

    boolean hasNext();

    /** Reads the next (older) page; {@code done} runs on the loop. */
    void next(BiConsumer<HistoryPage, Throwable> done);
  }

  /** Where a backfill hands its results. Called on the loop. */
  interface Outlet {
    /** Delivers messages to the channel's subscribers, in this order. */
    void deliver(List<Message> messages);

    /**
     * A backfill finished.
     *
     * @param cause the change that showed the loss
     * @param gap what was recovered; {@link ContinuityGap#complete()} says if the gap is filled
     */
    void finished(ChannelStateChange cause, ContinuityGap gap);
  }

  /** One backfill in progress. */
  private static final class Run {
    final int generation;
    final ChannelStateChange cause;
    final String attachSerial;
    final String anchorId;
    final String anchorSerial;
    final long startMillis;
    /** What history gave so far, newest first. */
    final List<Message> found = new ArrayList<>();
    /** Live messages received since the attach, waiting for the history before them. */
    final ArrayDeque<Message> held = new ArrayDeque<>();
    long droppedLive;

    Run(int generation, ChannelStateChange cause, String attachSerial, String anchorId,
        String anchorSerial, long startMillis) {
      this.generation = generation;
      this.cause = cause;
      this.attachSerial = attachSerial;
      this.anchorId = anchorId;
      this.anchorSerial = anchorSerial;
      this.startMillis = startMillis;
    }

    boolean anchored() {
      return anchorId != null || anchorSerial != null;
    }

    boolean isAnchor(Message m) {
      if (anchorId != null && m.id() != null) {
        return anchorId.equals(m.id());
      }
      return anchorSerial != null && anchorSerial.equals(m.serial());
    }
  }

  /** Where history is read; null until the channel has REST operations (then no backfill starts). */
  private HistorySource source;
  private final Outlet outlet;
  private final int holdLimit;
  private final LongSupplier wallClockMillis;
  /** The id and serial of the last message delivered; null before the first. */
  private String lastId;
  private String lastSerial;
  /** When the channel first attached with nothing delivered yet: where history starts then. */
  private long firstAttachMillis;
  /** Ids of the messages delivered recently, oldest first, at most {@link #RECENT_IDS}. */
  private final LinkedHashSet<String> recentIds = new LinkedHashSet<>();
  private int generation;
  /** The backfill in progress, or null. */
  private Run run;

  /**
   * @param source reads history on the loop
   * @param outlet takes the messages and the reports
   * @param holdLimit how many live messages wait during a backfill before the newest are dropped
   * @param wallClockMillis the wall clock, for history's time bound when nothing was delivered yet
   */
  Backfill(HistorySource source, Outlet outlet, int holdLimit, LongSupplier wallClockMillis) {
    this.source = source;
    this.outlet = outlet;
    this.holdLimit = holdLimit;
    this.wallClockMillis = wallClockMillis;
  }

  /** Sets where history is read. */
  void source(HistorySource value) {
    this.source = value;
  }

  /** The id of the last message delivered, or null. */
  String lastId() {
    return lastId;
  }

  /** The serial of the last message delivered, or null. */
  String lastSerial() {
    return lastSerial;
  }

  /** Whether a backfill is in progress. */
  boolean running() {
    return run != null;
  }

  /**
   * Sets the position to continue from: a message delivered by an earlier run of the application
   * (a persistent subscription's stored position). Only before anything is delivered.
   */
  void resumeFrom(String id, String serial) {
    if (lastId == null && lastSerial == null) {
      lastId = id;
      lastSerial = serial;
      if (id != null) {
        remember(id); // delivered already: never again, should the service resend it
      }
    }
  }

  /** The channel attached with continuity to keep from now on (its first attach, or after a detach). */
  void attachedAfresh() {
    if (lastId == null && lastSerial == null && firstAttachMillis == 0) {
      firstAttachMillis = wallClockMillis.getAsLong();
    }
  }

  /** Messages received live: delivered now, or held while a backfill runs. */
  void onMessages(List<Message> messages) {
    Run r = run;
    if (r == null) {
      deliverNew(messages);
      return;
    }
    for (Message m : messages) {
      if (r.held.size() < holdLimit) {
        r.held.add(m);
      } else {
        r.droppedLive++;
      }
    }
  }

  /**
   * Starts filling the gap of a continuity loss. A backfill already running is abandoned: its held
   * messages came before the new attach point, so history has them.
   *
   * @param cause the ATTACHED or UPDATE change without RESUMED
   * @param attachSerial the new attach point
   */
  void start(ChannelStateChange cause, String attachSerial) {
    int gen = ++generation;
    long startMillis = lastId == null && lastSerial == null ? firstAttachMillis : 0;
    Run r = new Run(gen, cause, attachSerial, lastId, lastSerial, startMillis);
    run = r;
    if (attachSerial == null || source == null) {
      finish(r, false, ErrorInfo.of(ErrorCode.CHANNEL_CONTINUITY_LOST, source == null
          ? "the channel has no history to read"
          : "the channel attached without an attach serial, so history cannot be bounded (RTL10b)"));
      return;
    }
    source.read(attachSerial, startMillis, PAGE_SIZE, (p, e) -> onPage(gen, p, e));
  }

  /** The channel left ATTACHED for good (detached, failed, released): forget the backfill. */
  void cancel() {
    generation++;
    run = null;
  }

  /** Forgets the position too: continuity starts again at the next attach. */
  void reset() {
    cancel();
    lastId = null;
    lastSerial = null;
    firstAttachMillis = 0;
    recentIds.clear();
  }

  private void onPage(int gen, HistoryPage page, Throwable error) {
    Run r = run;
    if (r == null || r.generation != gen) {
      return; // abandoned
    }
    if (error != null) {
      finish(r, false, errorOf(error));
      return;
    }
    for (Message m : page.items()) {
      if (r.isAnchor(m)) {
        finish(r, true, null);
        return;
      }
      if (!r.anchored() && r.startMillis > 0 && m.timestampMillis() < r.startMillis) {
        finish(r, true, null); // before the first attach: not wanted
        return;
      }
      r.found.add(m);
    }
    if (page.hasNext()) {
      page.next((p, e) -> onPage(gen, p, e));
    } else {
      // History ends before the anchor: it does not reach back far enough, unless there was no anchor.
      finish(r, !r.anchored(), null);
    }
  }

  private void finish(Run r, boolean reachedAnchor, ErrorInfo error) {
    run = null;
    List<Message> out = new ArrayList<>(r.found.size() + r.held.size());
    long recovered = 0;
    String firstId = null;
    String firstSerial = null;
    for (int i = r.found.size() - 1; i >= 0; i--) {
      Message m = r.found.get(i);
      if (m.id() != null && recentIds.contains(m.id())) {
        continue;
      }
      if (recovered == 0) {
        firstId = m.id();
        firstSerial = m.serial();
      }
      recovered++;
      out.add(m);
    }
    out.addAll(r.held);
    deliverNew(out);
    boolean complete = reachedAnchor && error == null && r.droppedLive == 0;
    outlet.finished(
        r.cause,
        new ContinuityGap(r.anchorId, r.anchorSerial, recovered, firstId, firstSerial, r.attachSerial,
            complete, r.droppedLive, error));
  }

  /** Delivers what was not delivered already, and moves the anchor. */
  private void deliverNew(List<Message> messages) {
    List<Message> fresh = null;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      String id = m.id();
      boolean duplicate = id != null && !remember(id);
      if (duplicate && fresh == null) {
        fresh = new ArrayList<>(messages.subList(0, i));
      } else if (!duplicate && fresh != null) {
        fresh.add(m);
      }
      if (!duplicate) {
        lastId = id;
        lastSerial = m.serial();
      }
    }
    List<Message> send = fresh == null ? messages : fresh;
    if (!send.isEmpty()) {
      outlet.deliver(send);
    }
  }

  /** Remembers an id; false if it was remembered already. */
  private boolean remember(String id) {
    if (!recentIds.add(id)) {
      return false;
    }
    if (recentIds.size() > RECENT_IDS) {
      Iterator<String> it = recentIds.iterator();
      it.next();
      it.remove();
    }
    return true;
  }

  private static ErrorInfo errorOf(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof AblyException a) {
      return a.errorInfo();
    }
    return ErrorInfo.of(ErrorCode.CHANNEL_CONTINUITY_LOST, "history could not be read: " + c);
  }
}
