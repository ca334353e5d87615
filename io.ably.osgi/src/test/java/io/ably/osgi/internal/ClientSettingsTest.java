package io.ably.osgi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {
  private static final String KEY = "app.key1:s3cr3t";

  @Test
  void cfgStringsBecomeOptionsJmxAndChannels() {
    ClientSettings s =
        ClientSettings.read(
            Map.of(
                "name", "prices", "key", KEY, "clientId", "desk-7", "host", "127.0.0.1",
                "port", "8080", "tls", "false", "useBinaryProtocol", "false", "jmx", "false",
                "channels", " quotes, trades ,quotes,", "felix.fileinstall.filename", "ignored"),
            null);
    ClientOptions o = s.options();
    assertEquals("prices", o.name());
    assertEquals(KEY, o.key());
    assertEquals("desk-7", o.clientId());
    assertEquals("127.0.0.1", o.host());
    assertEquals(8080, o.port());
    assertFalse(o.tls());
    assertFalse(o.useBinaryProtocol());
    assertFalse(s.jmx());
    assertEquals(List.of("quotes", "trades"), s.channels());
  }

  @Test
  void typedValuesAreAcceptedAndThePortFollowsTls() {
    ClientSettings s = ClientSettings.read(Map.of("key", KEY, "port", 8443, "tls", true, "channels", new String[] {"a", "b"}), "dflt");
    assertEquals(8443, s.options().tlsPort());
    assertEquals(ClientOptions.DEFAULT_PORT, s.options().port());
    assertEquals("dflt", s.options().name());
    assertTrue(s.jmx(), "JMX is on by default for configured clients");
    assertEquals(List.of("a", "b"), s.channels());
  }

  @Test
  void aBadValueNamesThePropertyAndNeverShowsTheSecret() {
    AblyException flag = assertThrows(AblyException.class, () -> ClientSettings.read(Map.of("key", KEY, "tls", "yes"), null));
    assertEquals("tls", ClientSettings.propertyNamedBy(flag.errorInfo().message()));
    AblyException port = assertThrows(AblyException.class, () -> ClientSettings.read(Map.of("key", KEY, "port", "80a"), null));
    assertEquals("port", ClientSettings.propertyNamedBy(port.errorInfo().message()));
    AblyException range = assertThrows(AblyException.class, () -> ClientSettings.read(Map.of("key", KEY, "port", "0", "tls", "false"), null));
    assertEquals("port", ClientSettings.propertyNamedBy(range.errorInfo().message()));
    AblyException key = assertThrows(AblyException.class, () -> ClientSettings.read(Map.of("key", "app.key1-s3cr3t"), null));
    assertEquals(ErrorCode.INVALID_CREDENTIAL.code(), key.errorInfo().code());
    assertEquals("key", ClientSettings.propertyNamedBy(key.errorInfo().message()));
    assertFalse(key.getMessage().contains("s3cr3t"), key.getMessage());
    AblyException type = assertThrows(AblyException.class, () -> ClientSettings.read(Map.of("key", new char[] {'s'}), null));
    assertEquals("key must be a string", type.errorInfo().message());
  }

  @Test
  void toStringShowsNoSecret() {
    String text = ClientSettings.read(Map.of("key", KEY, "token", "tok-secret"), null).toString();
    assertFalse(text.contains("s3cr3t") || text.contains("tok-secret"), text);
  }

  @Test
  void theSameRecognisedPropertiesAreTheSameClient() {
    ClientSettings a = ClientSettings.read(Map.of("key", KEY, "service.pid", "x.1"), null);
    ClientSettings b = ClientSettings.read(Map.of("key", KEY, "service.pid", "x.2"), null);
    ClientSettings c = ClientSettings.read(Map.of("key", KEY, "clientId", "other"), null);
    assertEquals(a.recognised(), b.recognised());
    assertNotEquals(a.recognised(), c.recognised());
  }

  @Test
  void theConfigurationNameComesFromANamedPidOrAKarafFile() {
    assertEquals("prices", ClientSettings.configurationName("io.ably.client~prices", Map.of()));
    assertEquals(
        "quotes",
        ClientSettings.configurationName(
            "io.ably.client.4f2a", Map.of("felix.fileinstall.filename", "file:/opt/karaf/etc/io.ably.client-quotes.cfg")));
    assertNull(ClientSettings.configurationName("io.ably.client.4f2a", Map.of()));
    assertNull(ClientSettings.propertyNamedBy("something else"));
  }
}
