package io.ably.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.state.ConnectionEvent;
import io.ably.api.state.ConnectionState;
import io.ably.api.state.ConnectionStateChange;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorInfoTest {
  @Test
  void aNamedCodeFixesCodeAndStatus() {
    ErrorInfo e = ErrorInfo.of(ErrorCode.TOKEN_EXPIRED, "expired");
    assertEquals(40142, e.code());
    assertEquals(401, e.statusCode());
    assertTrue(e.isTokenError());
    assertEquals(ErrorCode.TOKEN_EXPIRED, e.errorCode());
    assertEquals("[40142/401] expired", e.toString());
  }

  @Test
  void everyNamedCodeHasFiveDigitsAndAnHttpStatus() {
    for (ErrorCode c : ErrorCode.values()) {
      assertTrue(c.code() >= 10_000 && c.code() <= 99_999, c.name());
      assertTrue(c.statusCode() >= 400 && c.statusCode() <= 599, c.name());
      assertEquals(c.code(), ErrorCode.forCode(c.code()).code()); // 80019 is named twice: 401 and 403
    }
  }

  @Test
  void detailIsCopiedAndUnmodifiable() {
    java.util.HashMap<String, String> detail = new java.util.HashMap<>(Map.of("a", "b"));
    ErrorInfo e = new ErrorInfo(40000, 400, null, null, null, detail, null);
    detail.put("c", "d");
    assertEquals(Map.of("a", "b"), e.detail());
    assertEquals("", e.message());
    assertThrows(UnsupportedOperationException.class, () -> e.detail().put("x", "y"));
  }

  @Test
  void aStateChangeEventMustMatchItsStateAndAnUpdateMustNotChangeItTA2() {
    new ConnectionStateChange(
        ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionEvent.CONNECTED, null, null);
    new ConnectionStateChange(
        ConnectionState.CONNECTED, ConnectionState.CONNECTED, ConnectionEvent.UPDATE, null, null);
    assertThrows(AblyException.class, () -> new ConnectionStateChange(
        ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionEvent.FAILED, null, null));
    assertThrows(AblyException.class, () -> new ConnectionStateChange(
        ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionEvent.UPDATE, null, null));
  }
}
