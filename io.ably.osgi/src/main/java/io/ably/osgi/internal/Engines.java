package io.ably.osgi.internal;

import io.ably.api.spi.RealtimeClientFactory;
import io.ably.osgi.AblyClientFactory;
import io.ably.osgi.ClientProperties;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Tracks the {@link RealtimeClientFactory} services (engines) and, while there is at least one,
 * offers the {@link AblyClientFactory} service and the Config Admin managed service factory. Owned
 * by the {@link Activator}; its callbacks run on whichever thread registers or unregisters an
 * engine, one at a time (the tracker's and this class's monitor).
 */
final class Engines implements ServiceTrackerCustomizer<RealtimeClientFactory, RealtimeClientFactory> {
  private static final System.Logger LOG = System.getLogger("io.ably.osgi");

  private final BundleContext context;
  private final boolean configAdmin;
  private final ServiceTracker<RealtimeClientFactory, RealtimeClientFactory> tracker;
  /**
   * Engines being tracked, highest ranking first; the services below exist while it is not empty.
   * Kept here rather than read from the tracker, which does not yet hold an engine while its
   * {@code addingService} runs, when Config Admin may already ask for one. Guarded by this.
   */
  private final Map<ServiceReference<RealtimeClientFactory>, RealtimeClientFactory> engines = new HashMap<>();
  private ServiceRegistration<?> factoryRegistration;
  private AutoCloseable configuredClients;

  Engines(BundleContext context, boolean configAdmin) {
    this.context = context;
    this.configAdmin = configAdmin;
    this.tracker = new ServiceTracker<>(context, RealtimeClientFactory.class, this);
  }

  void open() {
    tracker.open();
  }

  void close() {
    tracker.close();
    synchronized (this) {
      withdraw();
    }
  }

  /**
   * Returns the engine to use now.
   *
   * @return the highest-ranked engine, or null if none is registered
   */
  synchronized RealtimeClientFactory current() {
    // ServiceReference orders by ranking, then age: the greatest is the one to use (as the tracker's).
    return engines.entrySet().stream().max(Map.Entry.comparingByKey()).map(Map.Entry::getValue).orElse(null);
  }

  @Override
  public RealtimeClientFactory addingService(ServiceReference<RealtimeClientFactory> reference) {
    RealtimeClientFactory engine = context.getService(reference);
    if (engine == null) {
      return null;
    }
    synchronized (this) {
      engines.put(reference, engine);
      if (engines.size() == 1) {
        offer();
      }
    }
    return engine;
  }

  @Override
  public void modifiedService(
      ServiceReference<RealtimeClientFactory> reference, RealtimeClientFactory service) {
    // Ranking changes are seen by current(), which compares the references each time.
  }

  @Override
  public void removedService(
      ServiceReference<RealtimeClientFactory> reference, RealtimeClientFactory service) {
    synchronized (this) {
      engines.remove(reference);
      if (engines.isEmpty()) {
        withdraw();
      }
    }
    try {
      context.ungetService(reference);
    } catch (IllegalStateException e) {
      // this bundle is stopping: its service uses are released anyway
    }
  }

  private void offer() {
    factoryRegistration =
        context.registerService(
            AblyClientFactory.class.getName(),
            new ClientFactoryService(this),
            ServiceProperties.of(Map.of(Constants.SERVICE_DESCRIPTION, "Creates Ably realtime clients")));
    if (configAdmin) {
      configuredClients = ConfiguredClients.register(context, this);
    } else {
      LOG.log(
          Level.INFO,
          "no Config Admin: configurations of {0} will not create clients",
          ClientProperties.FACTORY_PID);
    }
  }

  private void withdraw() {
    if (configuredClients != null) {
      try {
        configuredClients.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing the configured clients failed", e);
      }
      configuredClients = null;
    }
    if (factoryRegistration != null) {
      try {
        factoryRegistration.unregister();
      } catch (IllegalStateException e) {
        // already gone with this bundle's stop
      }
      factoryRegistration = null;
    }
  }
}
