package io.ably.osgi.internal;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Starts the bundle's three parts: the {@link EngineExtender} (engines become services), and the
 * {@link Engines} tracker, which offers the factory service and, when Config Admin is there, the
 * configured clients while an engine is registered.
 *
 * <p>A plain activator rather than Declarative Services: it needs nothing but the framework (and
 * Config Admin, optionally), so the same bundle runs in a bare Felix and in Karaf with no SCR
 * bundle and no annotations processor, and the order of its parts is explicit.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class Activator implements BundleActivator {
  private EngineExtender extender;
  private Engines engines;

  /** Creates the activator; the framework calls this. */
  public Activator() {}

  @Override
  public void start(BundleContext context) {
    engines = new Engines(context, ConfigAdminSupport.available());
    engines.open();
    extender = new EngineExtender(context);
    extender.open();
  }

  @Override
  public void stop(BundleContext context) {
    if (extender != null) {
      extender.close();
      extender = null;
    }
    if (engines != null) {
      engines.close();
      engines = null;
    }
  }
}
