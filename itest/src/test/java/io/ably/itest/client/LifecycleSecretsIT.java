package io.ably.itest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.Channel;
import io.ably.api.ChannelOptions;
import io.ably.api.CipherParams;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.ErrorInfo;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.message.MessageData;
import io.ably.api.state.ChannelState;
import io.ably.api.state.ConnectionState;
import io.ably.itest.AblyTestServer;
import io.ably.itest.support.PrintedCapture;
import io.ably.jmx.AblyJmx;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * Secrets stay secret through a whole connection lifecycle (issue #19 item 4): with every logger
 * of the JVM at its most verbose level (the client's, Netty's, the testkit's) and standard output
 * and error captured, a client connects after an attempt refused for its credentials, publishes and receives on an
 * encrypted channel, resumes, loses a resume, has a publish refused, makes a recovery key that a
 * second client recovers with, and closes. No key secret, connection key, recovery key or cipher
 * key appears in anything printed or logged, in an exception or its stack trace, in a
 * {@code toString}, or in a JMX attribute.
 */
class LifecycleSecretsIT {

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void noKeySecretConnectionKeyRecoveryKeyOrCipherKeyIsPrintedLoggedThrownShownOrExposedOverJmx() throws Exception {
    List<String> seen = new ArrayList<>();
    List<String> secrets = new CopyOnWriteArrayList<>();
    byte[] cipherKey = CipherParams.generateKey();
    secrets.add(Base64.getEncoder().encodeToString(cipherKey));
    secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(cipherKey));
    secrets.add(HexFormat.of().formatHex(cipherKey));
    secrets.add(HexFormat.of().withUpperCase().formatHex(cipherKey));
    try (PrintedCapture printed = new PrintedCapture();
        AblyTestServer server = AblyTestServer.builder().start()) {
      secrets.add(server.defaultKey().keySecret());
      ClientOptions options =
          ClientOptions.builder().key(server.defaultKey().keyStr()).host("127.0.0.1").port(server.port())
              .tls(false).autoConnect(false).logLevel(System.Logger.Level.ALL)
              .disconnectedRetryTimeout(Duration.ofMillis(200)).name("lifecycle-a").build();
      RealtimeClient a = Ably.realtime(options);
      RealtimeClient b = null;
      Subscription jmx = null;
      try {
        // Every connection key the client is given is a secret: it resumes the connection.
        a.connection().onStateChange(change -> {
          String key = a.connection().key();
          if (key != null && !secrets.contains(key)) {
            secrets.add(key);
          }
        });
        // A refused connection attempt (FAILED, RTN14a), then a connection (RTN11d)
        server.faults().failNextConnect(ErrorInfo.of(ErrorCode.INVALID_CREDENTIALS, "refused once"));
        a.connection().connect();
        await(a.connection().whenState(ConnectionState.FAILED));
        a.connection().connect();
        await(a.connection().whenState(ConnectionState.CONNECTED));
        String firstId = a.connection().id();
        jmx = AblyJmx.register(a); // a registration ends when the client is FAILED or CLOSED

        // An encrypted channel: publish and receive
        Channel secret = a.channels().get("lifecycle", ChannelOptions.builder().cipher(CipherParams.aes(cipherKey)).build());
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> both = new CompletableFuture<>();
        secret.subscribe(m -> {
          received.add(((MessageData.Text) m.data()).value());
          if (received.size() == 2) {
            both.complete(null);
          }
        });
        await(secret.whenState(ChannelState.ATTACHED));
        await(secret.publish("greeting", "before the drop"));

        // A resume (RTN15c6), then a failed resume (RTN15c7)
        // (each wait is registered before its fault: the client may be CONNECTED again before
        // a wait registered afterwards would see the DISCONNECTED)
        CompletionStage<?> dropped = a.connection().whenState(ConnectionState.DISCONNECTED);
        server.faults().dropConnections();
        await(dropped);
        await(a.connection().whenState(ConnectionState.CONNECTED));
        assertEquals(firstId, a.connection().id(), "resumed");
        server.faults().failNextResume();
        dropped = a.connection().whenState(ConnectionState.DISCONNECTED);
        server.faults().dropConnections();
        await(dropped);
        await(a.connection().whenState(ConnectionState.CONNECTED));
        assertNotEquals(firstId, a.connection().id(), "a new connection after the failed resume");
        await(secret.whenState(ChannelState.ATTACHED));
        await(secret.publish("greeting", "after the drops"));
        await(both);
        assertEquals(List.of("before the drop", "after the drops"), received);

        // A refused publish: its exception and stack trace
        server.faults().nackNextPublish(ErrorInfo.of(ErrorCode.TIMEOUT, "refused publish"));
        Throwable refused = secret.publish("greeting", "refused").toCompletableFuture().handle((v, e) -> e)
            .get(30, TimeUnit.SECONDS);
        assertNotNull(refused, "the publish was refused");
        seen.add("exception " + PrintedCapture.trace(refused));

        // JMX: every attribute of every io.ably bean
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = mbeans.queryNames(new ObjectName("io.ably:*"), null);
        assertFalse(names.isEmpty(), "the client's beans are registered");
        for (ObjectName name : names) {
          for (MBeanAttributeInfo attribute : mbeans.getMBeanInfo(name).getAttributes()) {
            seen.add("jmx " + name + " " + attribute.getName() + "=" + mbeans.getAttribute(name, attribute.getName()));
          }
        }

        // A recovery key (RTN16), used by a second client once the first has gone
        String recoveryKey = a.connection().createRecoveryKey().orElseThrow();
        secrets.add(recoveryKey);
        seen.add("toString " + options + " " + a + " " + a.connection() + " " + secret + " " + a.channels()
            + " " + CipherParams.aes(cipherKey) + " " + ChannelOptions.builder().cipher(CipherParams.aes(cipherKey)).build()
            + " " + a.connection().errorReason() + " " + a.metrics());
        b = Ably.realtime(options.toBuilder().name("lifecycle-b").autoConnect(true).recover(recoveryKey).build());
        await(b.connection().whenState(ConnectionState.CONNECTED));
        String bKey = b.connection().key();
        assertNotNull(bKey);
        secrets.add(bKey);
        seen.add("toString " + b.options() + " " + b + " " + b.connection() + " " + b.connection().errorReason());
      } finally {
        if (jmx != null) {
          jmx.close();
        }
        a.close();
        if (b != null) {
          b.close();
        }
      }
      seen.addAll(printed.printed());
    }
    assertTrue(seen.size() > 50, "the lifecycle was logged: " + seen.size() + " lines");
    assertTrue(secrets.size() >= 8, "secrets collected: " + secrets.size());
    for (String line : seen) {
      for (String s : secrets) {
        assertFalse(line.contains(s), () -> "a secret (" + s.length() + " characters) in: " + line);
      }
    }
  }
}
