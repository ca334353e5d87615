package io.ably.itest.rest;

import static io.ably.itest.rest.RestClientIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.RealtimeClient;
import io.ably.api.message.Message;
import io.ably.api.rest.BatchPublishResult;
import io.ably.api.rest.BatchPublishSpec;
import io.ably.api.rest.ChannelDetails;
import io.ably.api.rest.Direction;
import io.ably.api.rest.HistoryParams;
import io.ably.api.rest.PaginatedResult;
import io.ably.api.rest.RestClient;
import io.ably.api.rest.Stats;
import io.ably.api.rest.StatsParams;
import io.ably.api.rest.StatsUnit;
import io.ably.api.state.ChannelState;
import io.ably.itest.AblyTestServer;
import io.ably.itest.TestKey;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stats (RSC6), channel status (RSL8) and batch publish (RSC22) against the testkit. */
class RestOperationsIT {
  private static ClientOptions.Builder options(AblyTestServer server, boolean binary) {
    return ClientOptions.builder()
        .key(server.defaultKey().keyStr())
        .host("127.0.0.1")
        .port(server.port())
        .tls(false)
        .useBinaryProtocol(binary);
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void statsCountTheMessagesPublishedInTypedEntriesAndKeepUnknownFieldsRSC6(boolean binary) throws Exception {
    try (AblyTestServer server = AblyTestServer.builder().start();
        RestClient rest = Ably.rest(options(server, binary).build())) {
      await(rest.channels().get("counted").publish(List.of(Message.ofText("a", "1"), Message.ofText("b", "2"))));
      await(rest.channels().get("counted").publish("c", "3"));
      PaginatedResult<Stats> page = await(rest.stats(StatsParams.defaults().unit(StatsUnit.MINUTE)));
      assertEquals(1, page.items().size(), () -> "one minute so far: " + page.items());
      Stats s = page.items().get(0);
      assertEquals(StatsUnit.MINUTE, s.unit());
      assertNotNull(s.intervalId());
      assertEquals("testapp", s.appId());
      assertEquals(3, s.count("messages.all.all.count"), s::toString);
      assertEquals(3, s.count("messages.inbound.rest.all.count"), s::toString);
      assertEquals(0, s.count("no.such.counter"));
      assertTrue(s.schema() != null && s.schema().startsWith("https://"), s::toString);
    }
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void statusGivesTheChannelsOccupancyRSL8(boolean binary) throws Exception {
    try (AblyTestServer server = AblyTestServer.builder().start();
        RestClient rest = Ably.rest(options(server, binary).build());
        RealtimeClient realtime = Ably.realtime(options(server, binary).build())) {
      ChannelDetails empty = await(rest.channels().get("occupied").status());
      assertFalse(empty.isActive());
      assertEquals(0, empty.occupancy().connections());
      await(realtime.channels().get("occupied").attach());
      assertEquals(ChannelState.ATTACHED, realtime.channels().get("occupied").state());
      ChannelDetails d = await(rest.channels().get("occupied").status());
      assertEquals("occupied", d.channelId());
      assertTrue(d.isActive());
      assertEquals(1, d.occupancy().connections());
      assertEquals(1, d.occupancy().publishers());
      assertEquals(1, d.occupancy().subscribers());
      assertEquals(0, d.occupancy().presenceMembers());
    }
  }

  @ParameterizedTest(name = "binary={0}")
  @ValueSource(booleans = {false, true})
  void batchPublishGivesPerChannelResultsAndAPartialFailureIsAResultRSC22(boolean binary) throws Exception {
    TestKey limited = new TestKey("testapp.batch", "s4", "{\"ok:*\":[\"publish\",\"history\"]}");
    try (AblyTestServer server = AblyTestServer.builder().key(AblyTestServer.DEFAULT_KEY).key(limited).start();
        RestClient rest = Ably.rest(options(server, binary).key(limited.keyStr()).build())) {
      List<BatchPublishResult> results =
          await(
              rest.batchPublish(
                  List.of(
                      new BatchPublishSpec(
                          List.of("ok:1", "ok:2", "denied"),
                          List.of(Message.ofText("x", "one"), Message.ofText("y", "two"))),
                      new BatchPublishSpec(List.of("ok:3"), List.of(Message.ofText("z", "three"))))));
      assertEquals(List.of("ok:1", "ok:2", "denied", "ok:3"), results.stream().map(BatchPublishResult::channel).toList());
      for (int i : new int[] {0, 1, 3}) {
        BatchPublishResult r = results.get(i);
        assertTrue(r.success(), r::toString);
        assertNull(r.error());
        assertNotNull(r.messageId());
        assertEquals(i == 3 ? 1 : 2, r.serials().size(), r::toString);
      }
      BatchPublishResult denied = results.get(2);
      assertFalse(denied.success());
      assertTrue(denied.error().is(ErrorCode.OPERATION_NOT_PERMITTED), denied::toString);
      assertEquals(401, denied.error().statusCode());

      List<Message> ok2 =
          await(rest.channels().get("ok:2").history(HistoryParams.defaults().direction(Direction.FORWARDS))).items();
      assertEquals(List.of("x", "y"), ok2.stream().map(Message::name).toList());
      assertTrue(ok2.get(0).id().endsWith(":0"), "idempotent ids (RSL1k1): " + ok2.get(0).id());
    }
  }
}
