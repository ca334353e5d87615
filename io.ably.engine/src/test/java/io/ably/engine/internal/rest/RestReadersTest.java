package io.ably.engine.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.ErrorCode;
import io.ably.api.rest.BatchPublishResult;
import io.ably.api.rest.Stats;
import io.ably.api.rest.StatsUnit;
import io.ably.wire.RestBodies;
import io.ably.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading REST bodies into API values, in both formats. */
class RestReadersTest {
  private static HttpResult json(String body) {
    return new HttpResult(200, Map.of(), body.getBytes(StandardCharsets.UTF_8), "h");
  }

  private static HttpResult msgpackOf(String jsonBody) {
    Object tree = RestBodies.read(WireFormat.JSON, jsonBody.getBytes(StandardCharsets.UTF_8));
    return new HttpResult(200, Map.of(), RestBodies.write(WireFormat.MSGPACK, tree), "h");
  }

  private static final String STATS =
      "[{\"intervalId\":\"2026-12-05:08:00\",\"unit\":\"minute\",\"appId\":\"app\",\"inProgress\":\"2026-12-05:08:00:30\","
          + "\"schema\":\"https://schemas.ably.com/json/app-stats-0.0.5.json\","
          + "\"entries\":{\"messages.all.all.count\":3,\"messages\":{\"inbound\":{\"rest\":{\"all\":{\"count\":2}}}},\"odd\":\"text\"},"
          + "\"futureField\":{\"a\":[1,2.5,true,null]}}]";

  @Test
  void statsKeepTheTypedFieldsTheCountersFlatOrNestedAndUnknownFieldsAsJsonRSC6() {
    for (WireFormat f : WireFormat.values()) {
      HttpResult r = f == WireFormat.JSON ? json(STATS) : msgpackOf(STATS);
      Stats s = RestReaders.stats(r, f).get(0);
      assertEquals("2026-12-05:08:00", s.intervalId());
      assertEquals(StatsUnit.MINUTE, s.unit());
      assertEquals("app", s.appId());
      assertEquals("2026-12-05:08:00:30", s.inProgress());
      assertEquals(3, s.count("messages.all.all.count"));
      assertEquals(2, s.count("messages.inbound.rest.all.count"));
      assertEquals("{\"a\":[1,2.5,true,null]}", s.otherFields().get("futureField"), f.toString());
      assertEquals("\"text\"", s.otherFields().get("entries.odd"));
    }
  }

  @Test
  void batchResultsAreReadFromBatchResultsOrAFlatArrayRSC22() {
    String batch =
        "[{\"successCount\":1,\"failureCount\":1,\"results\":[{\"channel\":\"a\",\"messageId\":\"m\",\"serials\":[\"s\",null]},"
            + "{\"channel\":\"b\",\"error\":{\"code\":40160,\"statusCode\":401,\"message\":\"no\"}}]}]";
    List<BatchPublishResult> r = RestReaders.batch(json(batch), WireFormat.JSON);
    assertEquals(2, r.size());
    assertEquals(Arrays.asList("s", null), r.get(0).serials());
    assertTrue(r.get(0).success());
    assertTrue(r.get(1).error().is(ErrorCode.OPERATION_NOT_PERMITTED));
    List<BatchPublishResult> flat =
        RestReaders.batch(json("[{\"channel\":\"c\",\"messageId\":\"x\",\"serials\":[\"1\"]}]"), WireFormat.JSON);
    assertEquals("c", flat.get(0).channel());
    assertThrows(AblyException.class, () -> RestReaders.batch(json("[{\"nochannel\":1}]"), WireFormat.JSON));
  }

  @Test
  void aPublishWithoutABodyHasUnknownSerialsRSL1n() {
    assertEquals(Arrays.asList(null, null), RestReaders.published(new HttpResult(201, Map.of(), new byte[0], "h"), WireFormat.JSON, 2).serials());
  }

  @Test
  void timeMustBeAnArrayOfMilliseconds() {
    assertEquals(123L, RestReaders.time(json("[123]"), WireFormat.JSON).toEpochMilli());
    AblyException e = assertThrows(AblyException.class, () -> RestReaders.time(json("{}"), WireFormat.JSON));
    assertTrue(e.errorInfo().is(ErrorCode.INVALID_MESSAGE_DATA));
    assertNull(RestBodies.read(WireFormat.JSON, new byte[0]));
  }
}
