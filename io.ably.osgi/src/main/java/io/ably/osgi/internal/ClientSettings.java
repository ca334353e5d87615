package io.ably.osgi.internal;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.osgi.ClientProperties;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client's settings read from configuration properties ({@link ClientProperties}): the options,
 * and for configured clients whether to register JMX and which channels to attach. Immutable;
 * {@link #toString()} never shows a secret; two configurations are the same client when their
 * {@link #recognised} properties are equal.
 *
 * @param options the client options
 * @param jmx whether to register the client's MXBean
 * @param channels the channels to attach and log
 * @param recognised the recognised properties as strings, to tell whether a configuration changed
 */
record ClientSettings(
    ClientOptions options, boolean jmx, List<String> channels, Map<String, String> recognised) {

  private static final List<String> KEYS =
      List.of(
          ClientProperties.NAME,
          ClientProperties.KEY,
          ClientProperties.TOKEN,
          ClientProperties.CLIENT_ID,
          ClientProperties.ENDPOINT,
          ClientProperties.ENVIRONMENT,
          ClientProperties.HOST,
          ClientProperties.PORT,
          ClientProperties.TLS,
          ClientProperties.USE_BINARY_PROTOCOL,
          ClientProperties.ECHO_MESSAGES,
          ClientProperties.AUTO_CONNECT,
          ClientProperties.JMX,
          ClientProperties.CHANNELS);

  ClientSettings {
    channels = List.copyOf(channels);
    recognised = Map.copyOf(recognised);
  }

  /**
   * Reads settings.
   *
   * @param properties the properties; unknown keys are ignored
   * @param defaultName the name when {@link ClientProperties#NAME} is absent, or null
   * @return the settings
   * @throws AblyException (40003, 40005, 40012) naming the property at fault, never a secret value
   */
  static ClientSettings read(Map<String, ?> properties, String defaultName) {
    Map<String, String> values = new TreeMap<>();
    for (String key : KEYS) {
      Object value = properties.get(key);
      if (value != null) {
        values.put(key, text(key, value));
      }
    }
    ClientOptions.Builder b = ClientOptions.builder();
    String name = values.getOrDefault(ClientProperties.NAME, defaultName);
    if (name != null) {
      b.name(name);
    }
    String key = values.get(ClientProperties.KEY);
    if (key != null) {
      b.key(key);
    }
    String token = values.get(ClientProperties.TOKEN);
    if (token != null) {
      b.token(token);
    }
    b.clientId(values.get(ClientProperties.CLIENT_ID));
    b.endpoint(values.get(ClientProperties.ENDPOINT));
    b.environment(values.get(ClientProperties.ENVIRONMENT));
    b.host(values.get(ClientProperties.HOST));
    boolean tls = flag(values, ClientProperties.TLS, true);
    b.tls(tls);
    String port = values.get(ClientProperties.PORT);
    if (port != null) {
      int number = integer(ClientProperties.PORT, port);
      if (tls) {
        b.tlsPort(number);
      } else {
        b.port(number);
      }
    }
    b.useBinaryProtocol(flag(values, ClientProperties.USE_BINARY_PROTOCOL, true));
    b.echoMessages(flag(values, ClientProperties.ECHO_MESSAGES, true));
    b.autoConnect(flag(values, ClientProperties.AUTO_CONNECT, true));
    boolean jmx = flag(values, ClientProperties.JMX, true);
    List<String> channels = channels(values.get(ClientProperties.CHANNELS));
    return new ClientSettings(build(b), jmx, channels, values);
  }

  private static ClientOptions build(ClientOptions.Builder builder) {
    try {
      return builder.build();
    } catch (AblyException e) {
      if (e.errorInfo().code() == ErrorCode.INVALID_CREDENTIAL.code()) {
        // ClientOptions shows a malformed key (all of it when it has no colon): never in a log.
        throw AblyException.of(
            ErrorCode.INVALID_CREDENTIAL, "key must be appId.keyId:keySecret (the value is not shown)");
      }
      throw e;
    }
  }

  /**
   * Returns the configuration's own name: {@code prices} for the PID {@code io.ably.client~prices}
   * (a named factory configuration) or for the Karaf file {@code io.ably.client-prices.cfg}.
   *
   * @param pid the configuration's PID
   * @param properties its properties
   * @return the name, or null
   */
  static String configurationName(String pid, Map<String, ?> properties) {
    int tilde = pid.indexOf('~');
    if (tilde >= 0 && tilde < pid.length() - 1) {
      return pid.substring(tilde + 1);
    }
    Object file = properties.get("felix.fileinstall.filename");
    if (file != null) {
      String path = file.toString();
      String fileName = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
      String prefix = ClientProperties.FACTORY_PID + "-";
      if (fileName.startsWith(prefix) && fileName.endsWith(".cfg")) {
        String name = fileName.substring(prefix.length(), fileName.length() - ".cfg".length());
        return name.isEmpty() ? null : name;
      }
    }
    return null;
  }

  /**
   * Returns the property a validation message starts with ({@code "port must be 1-65535, was 0"}),
   * for Config Admin's report.
   *
   * @param message a message of {@link #read}
   * @return the property, or null if the message names none first
   */
  static String propertyNamedBy(String message) {
    int space = message.indexOf(' ');
    String first = space < 0 ? message : message.substring(0, space);
    if (first.equals("tlsPort")) {
      return ClientProperties.PORT;
    }
    return KEYS.contains(first) ? first : null;
  }

  private static String text(String key, Object value) {
    if (value instanceof String s) {
      return s.trim();
    }
    if (value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof Short) {
      return value.toString();
    }
    if (key.equals(ClientProperties.CHANNELS)) {
      if (value instanceof String[] array) {
        return String.join(",", array);
      }
      if (value instanceof Collection<?> collection) {
        List<String> names = new ArrayList<>();
        for (Object o : collection) {
          names.add(String.valueOf(o));
        }
        return String.join(",", names);
      }
    }
    throw AblyException.of(
        ErrorCode.INVALID_PARAMETER,
        key + " must be a string" + (isSecret(key) ? "" : ", was a " + value.getClass().getName()));
  }

  private static boolean isSecret(String key) {
    return key.equals(ClientProperties.KEY) || key.equals(ClientProperties.TOKEN);
  }

  private static boolean flag(Map<String, String> values, String key, boolean fallback) {
    String value = values.get(key);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw AblyException.of(
        ErrorCode.INVALID_PARAMETER, key + " must be true or false, was \"" + value + "\"");
  }

  private static int integer(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw AblyException.of(ErrorCode.INVALID_PARAMETER, key + " must be a number, was \"" + value + "\"");
    }
  }

  private static List<String> channels(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String name : Arrays.asList(value.split(","))) {
      String trimmed = name.trim();
      if (!trimmed.isEmpty() && !names.contains(trimmed)) {
        names.add(trimmed);
      }
    }
    return names;
  }

  @Override
  public String toString() {
    return "ClientSettings[" + options + ", jmx=" + jmx + ", channels=" + channels + "]";
  }
}
