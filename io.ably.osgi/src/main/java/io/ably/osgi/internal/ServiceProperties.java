package io.ably.osgi.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

/** Service properties in the {@link Dictionary} form the framework API takes. */
final class ServiceProperties {
  private ServiceProperties() {}

  @SuppressWarnings("JdkObsolete") // the OSGi framework API takes a Dictionary
  static Dictionary<String, Object> of(Map<String, ?> properties) {
    return new Hashtable<>(properties);
  }
}
