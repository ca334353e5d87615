package io.ably.itest.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.ErrorCode;
import io.ably.api.message.Message;
import io.ably.itest.AblyTestServer;
import io.ably.itest.support.TestTokens;
import io.ably.wire.Action;
import io.ably.wire.AuthDetails;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token authentication on realtime connections: connect, expiry, AUTH, token capabilities. */
class TestkitTokenIT {
  private AblyTestServer server;

  @BeforeEach
  void start() {
    server = AblyTestServer.builder().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Requests a token over REST with basic auth and TokenParams. */
  private String token(String params) throws Exception {
    return TestTokens.request(server, params);
  }

  private RawClient connectWithToken(String token, WireFormat format) throws Exception {
    return RawClient.connect(
        server.port(), "accessToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8), format);
  }

  private static ProtocolMessage awaitAction(RawClient c, Action a) throws InterruptedException {
    return c.await(pm -> pm.action() == a);
  }

  @Test
  void aTokenConnectsAndItsClientIdIdentifiesTheConnectionRSA7b() throws Exception {
    try (RawClient c = connectWithToken(token("{\"clientId\":\"bob\"}"), WireFormat.JSON)) {
      ProtocolMessage connected = awaitAction(c, Action.CONNECTED);
      assertEquals("bob", connected.connectionDetails().clientId());
    }
  }

  @Test
  void anExpiredTokenIsRefusedWith40142WhileConnectingRTN14b() throws Exception {
    String token = token("{}");
    server.faults().expireTokens();
    try (RawClient c = connectWithToken(token, WireFormat.MSGPACK)) {
      ProtocolMessage error = awaitAction(c, Action.ERROR);
      assertNull(error.channel());
      assertTrue(error.error().is(ErrorCode.TOKEN_EXPIRED), error.error().toString());
      assertEquals(401, error.error().statusCode());
      c.awaitClosed();
    }
  }

  @Test
  void aTokenThatExpiresWhileConnectedEndsInDisconnected40142RTN15h2() throws Exception {
    try (RawClient c = connectWithToken(token("{\"ttl\":1500}"), WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      ProtocolMessage disconnected = awaitAction(c, Action.DISCONNECTED);
      assertTrue(disconnected.error().is(ErrorCode.TOKEN_EXPIRED), disconnected.error().toString());
      c.awaitClosed();
    }
    try (RawClient c = connectWithToken(token("{}"), WireFormat.JSON)) {
      awaitAction(c, Action.CONNECTED);
      server.faults().expireTokens();
      assertTrue(awaitAction(c, Action.DISCONNECTED).error().is(ErrorCode.TOKEN_EXPIRED));
    }
  }

  @Test
  void authWithANewTokenKeepsTheConnectionIdAndAClientIdChangeIsRefusedRTC8a() throws Exception {
    try (RawClient c = connectWithToken(token("{\"clientId\":\"bob\"}"), WireFormat.JSON)) {
      ProtocolMessage first = awaitAction(c, Action.CONNECTED);
      c.send(ProtocolMessage.builder(Action.AUTH).auth(new AuthDetails(token("{\"clientId\":\"bob\"}"))).build());
      ProtocolMessage again = awaitAction(c, Action.CONNECTED);
      assertEquals(first.connectionId(), again.connectionId());
      assertEquals("bob", again.connectionDetails().clientId());

      c.send(ProtocolMessage.builder(Action.AUTH).auth(new AuthDetails(token("{\"clientId\":\"eve\"}"))).build());
      ProtocolMessage error = awaitAction(c, Action.ERROR);
      assertNull(error.channel());
      assertTrue(error.error().is(ErrorCode.INCOMPATIBLE_CREDENTIALS), error.error().toString());
      c.awaitClosed();
    }
  }

  @Test
  void aTokensCapabilityLimitsWhatTheConnectionMayDo() throws Exception {
    String readOnly = token("{\"capability\":\"{\\\"news\\\":[\\\"subscribe\\\"]}\"}");
    try (RawClient c = connectWithToken(readOnly, WireFormat.MSGPACK)) {
      awaitAction(c, Action.CONNECTED);
      c.send(ProtocolMessage.builder(Action.ATTACH).channel("news").build());
      awaitAction(c, Action.ATTACHED);
      c.send(ProtocolMessage.builder(Action.MESSAGE).channel("news").msgSerial(0L)
          .messages(List.of(Message.ofText("x", "y"))).build());
      assertTrue(awaitAction(c, Action.NACK).error().is(ErrorCode.OPERATION_NOT_PERMITTED));
      c.send(ProtocolMessage.builder(Action.ATTACH).channel("sport").build());
      ProtocolMessage denied = awaitAction(c, Action.ERROR);
      assertEquals("sport", denied.channel());
      assertTrue(denied.error().is(ErrorCode.OPERATION_NOT_PERMITTED));
    }
  }
}
