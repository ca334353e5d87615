package io.ably.osgi.internal;

import io.ably.api.AblyException;
import io.ably.api.Channel;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.message.Message;
import io.ably.api.spi.RealtimeClientFactory;
import io.ably.jmx.AblyJmx;
import io.ably.osgi.ClientProperties;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.cm.ManagedServiceFactory;

/**
 * The clients of the Config Admin factory PID {@value ClientProperties#FACTORY_PID}: a new
 * configuration creates a client and registers it as a {@link RealtimeClient} service (property
 * {@value ClientProperties#NAME}) and, unless {@code jmx=false}, as an MXBean; a changed one closes
 * it and creates it anew; a deleted one closes it. Config Admin calls in on its own thread; every
 * method holds this object's monitor, so calls are serial.
 */
final class ConfiguredClients implements ManagedServiceFactory {
  private static final System.Logger LOG = System.getLogger("io.ably.osgi");

  private final BundleContext context;
  private final Engines engines;
  /** Live clients by configuration PID; guarded by this. */
  private final Map<String, Configured> clients = new HashMap<>();

  private ConfiguredClients(BundleContext context, Engines engines) {
    this.context = context;
    this.engines = engines;
  }

  /**
   * Registers the managed service factory.
   *
   * @param context this bundle's context
   * @param engines where clients come from
   * @return closing it unregisters the factory and closes every client it created
   */
  static AutoCloseable register(BundleContext context, Engines engines) {
    ConfiguredClients configured = new ConfiguredClients(context, engines);
    Map<String, Object> properties =
        Map.of(
            Constants.SERVICE_PID, ClientProperties.FACTORY_PID,
            Constants.SERVICE_DESCRIPTION, "Ably realtime clients from configurations");
    ServiceRegistration<ManagedServiceFactory> registration =
        context.registerService(
            ManagedServiceFactory.class, configured, ServiceProperties.of(properties));
    return () -> {
      try {
        registration.unregister();
      } catch (IllegalStateException e) {
        // already gone with this bundle's stop
      }
      configured.closeAll();
    };
  }

  @Override
  public String getName() {
    return "Ably realtime clients";
  }

  @Override
  public synchronized void updated(String pid, Dictionary<String, ?> dictionary)
      throws ConfigurationException {
    Map<String, Object> properties = new HashMap<>();
    for (Enumeration<String> keys = dictionary.keys(); keys.hasMoreElements(); ) {
      String key = keys.nextElement();
      properties.put(key, dictionary.get(key));
    }
    ClientSettings settings;
    try {
      settings = ClientSettings.read(properties, ClientSettings.configurationName(pid, properties));
    } catch (AblyException e) {
      Configured previous = clients.remove(pid);
      if (previous != null) {
        previous.close();
        LOG.log(Level.WARNING, "configuration {0} is no longer valid; client {1} closed", pid, previous.client.name());
      }
      // The message names the property and never shows a key or token.
      String message = e.errorInfo().message();
      throw new ConfigurationException(ClientSettings.propertyNamedBy(message), message);
    }
    Configured previous = clients.get(pid);
    if (previous != null && previous.settings.recognised().equals(settings.recognised())) {
      return;
    }
    if (previous != null) {
      clients.remove(pid);
      previous.close();
    }
    clients.put(pid, open(pid, settings));
  }

  @Override
  public synchronized void deleted(String pid) {
    Configured previous = clients.remove(pid);
    if (previous != null) {
      previous.close();
      LOG.log(Level.INFO, "client {0} closed: configuration {1} deleted", previous.client.name(), pid);
    }
  }

  synchronized void closeAll() {
    for (Configured configured : clients.values()) {
      configured.close();
    }
    clients.clear();
  }

  private Configured open(String pid, ClientSettings settings) throws ConfigurationException {
    RealtimeClientFactory engine = engines.current();
    if (engine == null) {
      throw new ConfigurationException(null, "no Ably engine is active");
    }
    RealtimeClient client = engine.create(settings.options());
    Subscription jmx = null;
    if (settings.jmx()) {
      try {
        jmx = AblyJmx.register(client);
      } catch (AblyException e) {
        client.close();
        throw new ConfigurationException(ClientProperties.NAME, e.errorInfo().message());
      }
    }
    List<Subscription> taps = new ArrayList<>();
    for (String name : settings.channels()) {
      taps.add(tap(client, name));
    }
    Map<String, Object> properties =
        Map.of(
            ClientProperties.NAME, client.name(),
            "io.ably.configuration", pid,
            Constants.SERVICE_DESCRIPTION, "Ably realtime client " + client.name());
    ServiceRegistration<RealtimeClient> registration =
        context.registerService(RealtimeClient.class, client, ServiceProperties.of(properties));
    LOG.log(Level.INFO, "client {0} created from configuration {1}: {2}", client.name(), pid, describe(settings));
    return new Configured(settings, client, jmx, taps, registration);
  }

  /**
   * Attaches a channel and logs every message received on it: channel, name, id and size, never
   * the payload. The listener runs on the client's callback thread.
   */
  private static Subscription tap(RealtimeClient client, String channelName) {
    Channel channel = client.channels().get(channelName);
    Subscription subscription =
        channel.subscribe(
            (Message message) ->
                LOG.log(
                    Level.INFO,
                    "client {0}: channel {1}: message {2} (id {3}, {4} bytes)",
                    client.name(), channelName, message.name(), message.id(), message.size()));
    channel.attach()
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                LOG.log(Level.WARNING, "client {0}: channel {1} did not attach: {2}", client.name(), channelName, failure.getMessage());
              } else {
                LOG.log(Level.INFO, "client {0}: channel {1} attached", client.name(), channelName);
              }
            });
    return subscription;
  }

  /** What an operator may see of a configuration: no key secret, no token. */
  private static String describe(ClientSettings settings) {
    ClientOptions o = settings.options();
    StringBuilder s = new StringBuilder();
    if (o.host() != null) {
      s.append("host ").append(o.host()).append(':').append(o.tls() ? o.tlsPort() : o.port());
    } else if (o.endpoint() != null) {
      s.append("endpoint ").append(o.endpoint());
    } else if (o.environment() != null) {
      s.append("environment ").append(o.environment());
    } else {
      s.append("default endpoint");
    }
    s.append(o.tls() ? ", TLS" : ", no TLS");
    if (o.keyName() != null) {
      s.append(", key ").append(o.keyName());
    } else if (o.token() != null) {
      s.append(", token");
    }
    if (o.clientId() != null) {
      s.append(", clientId ").append(o.clientId());
    }
    s.append(settings.jmx() ? ", JMX" : ", no JMX");
    if (!settings.channels().isEmpty()) {
      s.append(", channels ").append(settings.channels());
    }
    return s.toString();
  }

  /** One live configured client and what to undo when it closes. */
  private static final class Configured {
    final ClientSettings settings;
    final RealtimeClient client;
    final Subscription jmx;
    final List<Subscription> taps;
    final ServiceRegistration<RealtimeClient> registration;

    Configured(
        ClientSettings settings,
        RealtimeClient client,
        Subscription jmx,
        List<Subscription> taps,
        ServiceRegistration<RealtimeClient> registration) {
      this.settings = settings;
      this.client = client;
      this.jmx = jmx;
      this.taps = taps;
      this.registration = registration;
    }

    void close() {
      try {
        registration.unregister();
      } catch (IllegalStateException e) {
        // already gone with this bundle's stop
      }
      for (Subscription tap : taps) {
        tap.close();
      }
      if (jmx != null) {
        jmx.close();
      }
      client.close();
    }
  }
}
