package io.ably.itest.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.itest.AblyTestServer;
import io.ably.wire.Action;
import io.ably.wire.ProtocolMessage;
import io.ably.wire.WireFormat;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Clients that vanish mid-frame or mid-request must not harm the server or other connections. */
class TestkitAbruptClientIT {
  private static final String KEY_PARAM = AblyTestServer.DEFAULT_KEY.replace(":", "%3A");

  /** Opens a WebSocket by hand and returns the socket once the 101 response has been read. */
  private static Socket upgraded(int port) throws Exception {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    String request =
        "GET /?key=" + KEY_PARAM + "&format=json&v=6 HTTP/1.1\r\n"
            + "Host: 127.0.0.1:" + port + "\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertTrue(b >= 0, "connection closed during the handshake: " + head);
      head.append((char) b);
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
    return s;
  }

  @Test
  void aClientThatDisappearsMidFrameOrMidRequestLeavesTheServerServing() throws Exception {
    try (AblyTestServer server = AblyTestServer.builder().start();
        RawClient bystander = RawClient.connect(server.port(), "key=" + KEY_PARAM, WireFormat.MSGPACK)) {
      assertEquals(Action.CONNECTED, bystander.next().action());

      // A masked text frame announcing 1,000 bytes, of which only 10 are sent.
      try (Socket s = upgraded(server.port())) {
        OutputStream out = s.getOutputStream();
        out.write(new byte[] {(byte) 0x81, (byte) 0xFE, 0x03, (byte) 0xE8, 1, 2, 3, 4});
        out.write("{\"action\":".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      // A frame header cut in half, then a reset.
      try (Socket s = upgraded(server.port())) {
        s.getOutputStream().write(new byte[] {(byte) 0x82});
        s.setSoLinger(true, 0);
      }
      // An HTTP request cut off in its headers.
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.getOutputStream().write("GET /time HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.US_ASCII));
      }

      bystander.send(ProtocolMessage.builder(Action.HEARTBEAT).id("alive").build());
      assertEquals("alive", bystander.await(pm -> pm.action() == Action.HEARTBEAT && pm.id() != null).id());
      try (RawClient newcomer = RawClient.connect(server.port(), "key=" + KEY_PARAM, WireFormat.JSON)) {
        assertEquals(Action.CONNECTED, newcomer.next().action());
      }
    }
  }
}
