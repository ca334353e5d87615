package io.ably.engine.internal.presence;

import static io.ably.testsupport.Generators.lists;
import static io.ably.testsupport.Generators.sometimes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.Generate.range;

import io.ably.api.message.MessageData;
import io.ably.api.message.PresenceAction;
import io.ably.api.message.PresenceMessage;
import io.ably.testsupport.PropertyCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random sequences of PRESENCE and SYNC protocol messages (stale and out of order ones among them:
 * serials, indexes and timestamps are drawn independently of arrival order), sync starts by
 * ATTACHED, attaches without presence and clears, applied to a {@link PresenceMap} and to a
 * reference model. After every step the map's members equal the model's, and the events the map
 * emitted are exactly the ones the model emits, in the same order (QuickTheories).
 *
 * <p>The model never parses an id: it orders messages by the serial, index and timestamp the
 * generator drew, and keeps its state as plain sets.
 */
class PresenceMapProperties {
  private static final List<String> CLIENTS = List.of("alice", "bob", "carol");
  private static final List<String> CONNECTIONS = List.of("c1", "c2");
  private static final List<String> SERIALS = List.of("s1:", "s1:p1", "s1:p2", "s2:", "s2:p1");

  /** A generated presence message; {@code ordered} means its id is {@code conn:serial:index}. */
  record Ev(
      PresenceAction action, String client, String conn, boolean ordered, boolean nullId,
      int serial, int index, long ts, int data) {
    String key() {
      return conn + ":" + client;
    }

    PresenceMessage message() {
      String id = ordered ? conn + ":" + serial + ":" + index : nullId ? null : "synthetic:" + serial;
      return new PresenceMessage(id, action, client, conn, new MessageData.Text("d" + data), null, null, ts);
    }
  }

  enum Kind {
    PRESENCE, SYNC, START_SYNC, LEAVE_ALL, CLEAR
  }

  /** One step; {@code channelSerial} is used by SYNC only (null: a one-message sync). */
  record Step(Kind kind, String channelSerial, List<Ev> messages) {}

  static Gen<Ev> evs(boolean sync) {
    Gen<Integer> client = range(0, CLIENTS.size() - 1);
    Gen<Integer> conn = range(0, CONNECTIONS.size() - 1);
    Gen<Integer> action = range(0, 2);
    Gen<Integer> small = range(0, 4);
    return in -> {
      PresenceAction a =
          sync
              ? PresenceAction.PRESENT
              : List.of(PresenceAction.ENTER, PresenceAction.UPDATE, PresenceAction.LEAVE)
                  .get(action.generate(in));
      boolean ordered = !sometimes(in, 25);
      return new Ev(
          a,
          CLIENTS.get(client.generate(in)),
          CONNECTIONS.get(conn.generate(in)),
          ordered,
          !ordered && sometimes(in, 30),
          small.generate(in),
          range(0, 2).generate(in),
          small.generate(in),
          small.generate(in));
    };
  }

  static Gen<Step> steps() {
    Gen<Integer> kinds = range(0, 99);
    Gen<Integer> serials = range(0, SERIALS.size());
    Gen<List<Ev>> presence = lists(evs(false), 1, 3);
    Gen<List<Ev>> sync = lists(evs(true), 0, 4);
    return in -> {
      int k = kinds.generate(in);
      if (k < 50) {
        return new Step(Kind.PRESENCE, null, presence.generate(in));
      } else if (k < 85) {
        int s = serials.generate(in);
        return new Step(Kind.SYNC, s == SERIALS.size() ? null : SERIALS.get(s), sync.generate(in));
      } else if (k < 93) {
        return new Step(Kind.START_SYNC, null, List.of());
      } else if (k < 97) {
        return new Step(Kind.LEAVE_ALL, null, List.of());
      }
      return new Step(Kind.CLEAR, null, List.of());
    };
  }

  /** The reference: newest message per key, the keys absent, and the sync's bookkeeping. */
  static final class Model {
    final Map<String, Ev> newest = new HashMap<>();
    final Set<String> absent = new HashSet<>();
    boolean inSync;
    String sequence;
    Set<String> presentAtStart = Set.of();
    final Set<String> named = new HashSet<>();
    boolean complete;
    final List<PresenceMessage> emitted = new ArrayList<>();
    int stale;
    int synthesisedLeaves;
    int absentWitnessUsed;

    static boolean newer(Ev in, Ev old) {
      if (!in.ordered() || !old.ordered()) {
        return in.ts() >= old.ts();
      }
      return in.serial() > old.serial() || (in.serial() == old.serial() && in.index() > old.index());
    }

    void receive(Ev e) {
      String key = e.key();
      if (inSync) {
        named.add(key);
      }
      Ev old = newest.get(key);
      if (old != null && !newer(e, old)) {
        stale++;
        if (absent.contains(key)) {
          absentWitnessUsed++;
        }
        return;
      }
      boolean wasPresent = old != null && !absent.contains(key);
      if (e.action() == PresenceAction.LEAVE) {
        if (inSync) {
          newest.put(key, e);
          absent.add(key);
        } else {
          newest.remove(key);
          absent.remove(key);
        }
        if (wasPresent) {
          emitted.add(e.message());
        }
      } else {
        newest.put(key, e);
        absent.remove(key);
        emitted.add(e.message());
      }
    }

    void start() {
      inSync = true;
      sequence = null;
      Set<String> present = new HashSet<>(newest.keySet());
      present.removeAll(absent);
      presentAtStart = present;
      named.clear();
      complete = false;
    }

    void end(long now) {
      Set<String> residual = new TreeSet<>(presentAtStart);
      residual.removeAll(named);
      for (String key : residual) {
        Ev gone = newest.remove(key);
        if (gone != null && !absent.contains(key)) {
          synthesisedLeaves++;
          PresenceMessage m = gone.message();
          emitted.add(new PresenceMessage(null, PresenceAction.LEAVE, m.clientId(), m.connectionId(), m.data(), null, null, now));
        }
      }
      for (String key : absent) {
        newest.remove(key);
      }
      absent.clear();
      inSync = false;
      sequence = null;
      complete = true;
    }

    void step(Step s, long now) {
      emitted.clear();
      switch (s.kind()) {
        case PRESENCE -> s.messages().forEach(this::receive);
        case SYNC -> {
          String seq = s.channelSerial() == null ? null : s.channelSerial().split(":", -1)[0];
          boolean last = s.channelSerial() == null || s.channelSerial().endsWith(":");
          if (!inSync) {
            start();
            sequence = seq;
          } else if (seq != null && !seq.equals(sequence)) {
            if (sequence != null) {
              start();
            }
            sequence = seq;
          }
          s.messages().forEach(this::receive);
          if (last) {
            end(now);
          }
        }
        case START_SYNC -> start();
        case LEAVE_ALL -> {
          start();
          end(now);
        }
        case CLEAR -> {
          newest.clear();
          absent.clear();
          inSync = false;
          sequence = null;
          complete = false;
        }
        default -> throw new AssertionError(s);
      }
    }

    Map<String, PresenceMessage> members() {
      Map<String, PresenceMessage> out = new TreeMap<>();
      newest.forEach(
          (k, e) -> {
            if (!absent.contains(k)) {
              PresenceMessage m = e.message();
              out.put(k, new PresenceMessage(m.id(), PresenceAction.PRESENT, m.clientId(), m.connectionId(), m.data(), null, null, m.timestampMillis()));
            }
          });
      return out;
    }
  }

  static List<PresenceMessage> apply(PresenceMap map, Step s, long now) {
    List<PresenceMessage> in = s.messages().stream().map(Ev::message).toList();
    return switch (s.kind()) {
      case PRESENCE -> map.onPresence(in);
      case SYNC -> map.onSync(s.channelSerial(), in, now);
      case START_SYNC -> {
        map.startSync();
        yield List.of();
      }
      case LEAVE_ALL -> map.leaveAll(now);
      case CLEAR -> {
        map.clear();
        yield List.of();
      }
    };
  }

  @Test
  @Tag("RTP2")
  @Tag("RTP18")
  @Tag("RTP19")
  void randomPresenceAndSyncSequencesLeaveTheMapEqualToTheModelAndEmitOnlyTheModelsEvents() {
    int[] coverage = new int[4]; // stale discards, absent witnesses used, synthesised leaves, syncs ended
    PropertyCheck.forAll(
        5_000,
        lists(steps(), 1, 40),
        script -> {
          PresenceMap map = new PresenceMap();
          Model model = new Model();
          long now = 1_000;
          for (int i = 0; i < script.size(); i++) {
            Step s = script.get(i);
            now++;
            boolean wasComplete = model.complete;
            List<PresenceMessage> events = apply(map, s, now);
            model.step(s, now);
            String at = "step " + i + " " + s;
            assertEquals(model.emitted, events, "events at " + at);
            Map<String, PresenceMessage> actual = new TreeMap<>();
            map.members().forEach(m -> actual.put(m.memberKey(), m));
            assertEquals(model.members(), actual, "members after " + at);
            assertEquals(model.members().size(), map.size(), "size after " + at);
            assertEquals(model.inSync, map.syncInProgress(), "sync in progress after " + at);
            assertEquals(model.complete, map.syncComplete(), "sync complete after " + at);
            if (model.complete && !wasComplete) {
              coverage[3]++;
            }
          }
          coverage[0] += model.stale;
          coverage[1] += model.absentWitnessUsed;
          coverage[2] += model.synthesisedLeaves;
        });
    assertTrue(coverage[0] > 0, "no stale message was generated");
    assertTrue(coverage[1] > 0, "no ABSENT witness discarded a stale message");
    assertTrue(coverage[2] > 0, "no residual member left");
    assertTrue(coverage[3] > 0, "no sync ended");
  }
}
