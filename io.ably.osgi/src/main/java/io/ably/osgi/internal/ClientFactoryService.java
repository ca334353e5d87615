package io.ably.osgi.internal;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.ErrorCode;
import io.ably.api.RealtimeClient;
import io.ably.api.Subscription;
import io.ably.api.spi.RealtimeClientFactory;
import io.ably.api.state.ConnectionState;
import io.ably.osgi.AblyClientFactory;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * The {@link AblyClientFactory} service: one {@link BundleClients} per bundle that gets it, closed
 * (with the clients that bundle left open) when the bundle releases the service.
 */
final class ClientFactoryService implements ServiceFactory<AblyClientFactory> {
  private static final System.Logger LOG = System.getLogger("io.ably.osgi");

  private final Engines engines;

  ClientFactoryService(Engines engines) {
    this.engines = engines;
  }

  @Override
  public AblyClientFactory getService(Bundle bundle, ServiceRegistration<AblyClientFactory> registration) {
    return new BundleClients(engines, bundle.getSymbolicName());
  }

  @Override
  public void ungetService(
      Bundle bundle, ServiceRegistration<AblyClientFactory> registration, AblyClientFactory service) {
    ((BundleClients) service).closeAll();
  }

  /** The factory one bundle uses, and the clients it created that are not closed yet. */
  static final class BundleClients implements AblyClientFactory {
    private final Engines engines;
    private final String user;
    /** Open clients and their CLOSED watch; written by the creating and the callback threads. */
    private final Map<RealtimeClient, Subscription> open = new ConcurrentHashMap<>();

    BundleClients(Engines engines, String user) {
      this.engines = engines;
      this.user = user;
    }

    @Override
    public RealtimeClient create(ClientOptions options) {
      if (options == null) {
        throw AblyException.of(ErrorCode.INVALID_PARAMETER, "options must not be null");
      }
      return track(engine().create(options));
    }

    @Override
    public RealtimeClient create(Map<String, ?> properties) {
      if (properties == null) {
        throw AblyException.of(ErrorCode.INVALID_PARAMETER, "properties must not be null");
      }
      return create(ClientSettings.read(properties, null).options());
    }

    private RealtimeClientFactory engine() {
      RealtimeClientFactory engine = engines.current();
      if (engine == null) {
        throw AblyException.of(ErrorCode.INTERNAL_ERROR, "no Ably engine is active (is io.ably.engine started?)");
      }
      return engine;
    }

    private RealtimeClient track(RealtimeClient client) {
      Subscription watch =
          client.connection().onStateChange(
              change -> {
                if (change.current() == ConnectionState.CLOSED) {
                  Subscription mine = open.remove(client);
                  if (mine != null) {
                    mine.close();
                  }
                }
              });
      open.put(client, watch);
      return client;
    }

    void closeAll() {
      List<RealtimeClient> clients = new ArrayList<>(open.keySet());
      for (RealtimeClient client : clients) {
        Subscription watch = open.remove(client);
        if (watch != null) {
          watch.close();
        }
        try {
          client.close();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "closing client " + client.name() + " of " + user + " failed", e);
        }
      }
      if (!clients.isEmpty()) {
        LOG.log(Level.INFO, "closed {0} Ably client(s) left open by {1}", clients.size(), user);
      }
    }
  }
}
