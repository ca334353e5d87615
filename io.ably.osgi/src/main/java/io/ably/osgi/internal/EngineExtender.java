package io.ably.osgi.internal;

import io.ably.api.spi.RealtimeClientFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;

/**
 * Registers the {@link RealtimeClientFactory} of every active bundle that declares one in {@value
 * #SERVICES_ENTRY} as an OSGi service, on behalf of that bundle: the bridge from a JPMS/class-path
 * engine (which knows nothing of OSGi) to the OSGi service registry. See {@link
 * io.ably.osgi.AblyClientFactory} for why this design. Owned by the {@link Activator}; the tracker
 * calls it on the framework's threads.
 */
final class EngineExtender
    implements BundleTrackerCustomizer<List<ServiceRegistration<RealtimeClientFactory>>> {
  static final String SERVICES_ENTRY =
      "META-INF/services/" + RealtimeClientFactory.class.getName();

  private static final System.Logger LOG = System.getLogger("io.ably.osgi");

  private final BundleTracker<List<ServiceRegistration<RealtimeClientFactory>>> tracker;

  /** The engine behind each registration, to shut it down with its bundle. */
  private final Map<ServiceRegistration<RealtimeClientFactory>, RealtimeClientFactory> engines =
      new java.util.concurrent.ConcurrentHashMap<>();

  EngineExtender(BundleContext context) {
    this.tracker = new BundleTracker<>(context, Bundle.ACTIVE, this);
  }

  void open() {
    tracker.open();
  }

  void close() {
    tracker.close();
  }

  @Override
  public List<ServiceRegistration<RealtimeClientFactory>> addingBundle(
      Bundle bundle, BundleEvent event) {
    URL entry = bundle.getEntry(SERVICES_ENTRY);
    if (entry == null) {
      return null;
    }
    BundleContext providerContext = bundle.getBundleContext();
    if (providerContext == null) {
      return null;
    }
    List<ServiceRegistration<RealtimeClientFactory>> registrations = new ArrayList<>();
    for (String className : classNames(bundle, entry)) {
      RealtimeClientFactory engine = instantiate(bundle, className);
      if (engine != null) {
        Map<String, Object> properties =
            Map.of(Constants.SERVICE_DESCRIPTION, "Ably engine " + className, "io.ably.engine.class", className);
        ServiceRegistration<RealtimeClientFactory> registration =
            providerContext.registerService(
                RealtimeClientFactory.class, engine, ServiceProperties.of(properties));
        engines.put(registration, engine);
        registrations.add(registration);
        LOG.log(Level.INFO, "Ably engine {0} of bundle {1} registered", className, bundle.getSymbolicName());
      }
    }
    return registrations.isEmpty() ? null : registrations;
  }

  @Override
  public void modifiedBundle(
      Bundle bundle, BundleEvent event, List<ServiceRegistration<RealtimeClientFactory>> object) {
    // Nothing depends on a state change within ACTIVE.
  }

  @Override
  public void removedBundle(
      Bundle bundle, BundleEvent event, List<ServiceRegistration<RealtimeClientFactory>> registrations) {
    for (ServiceRegistration<RealtimeClientFactory> registration : registrations) {
      RealtimeClientFactory engine = engines.remove(registration);
      try {
        registration.unregister(); // users of the service close their clients now
      } catch (IllegalStateException e) {
        // already unregistered by the framework as the engine bundle stopped
      }
      if (engine instanceof AutoCloseable closeable) {
        // The engine's shared threads must not outlive its bundle (they would pin its classes).
        try {
          closeable.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          LOG.log(Level.WARNING, "Ably engine of bundle " + bundle.getSymbolicName() + " did not shut down", e);
        }
      }
    }
  }

  private static List<String> classNames(Bundle bundle, URL entry) {
    List<String> names = new ArrayList<>();
    try (InputStream in = entry.openStream();
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        int comment = line.indexOf('#');
        String name = (comment < 0 ? line : line.substring(0, comment)).trim();
        if (!name.isEmpty() && !names.contains(name)) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read " + SERVICES_ENTRY + " of bundle " + bundle.getSymbolicName(), e);
    }
    return names;
  }

  private static RealtimeClientFactory instantiate(Bundle bundle, String className) {
    try {
      Class<?> type = bundle.loadClass(className);
      if (!RealtimeClientFactory.class.isAssignableFrom(type)) {
        // Wired to another io.ably.api than this bundle: its factory would not be ours.
        LOG.log(
            Level.WARNING,
            "{0} of bundle {1} is not a RealtimeClientFactory of this io.ably.api; not registered",
            className, bundle.getSymbolicName());
        return null;
      }
      return (RealtimeClientFactory) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot create " + className + " of bundle " + bundle.getSymbolicName(), e);
      return null;
    }
  }
}
