package io.ably.osgi.internal;

/**
 * Whether Config Admin's API is wired to this bundle: its import is optional, so the bundle also
 * runs where there is no Config Admin, with the factory service only. No class of {@code
 * org.osgi.service.cm} is touched unless {@link #available()} says so.
 */
final class ConfigAdminSupport {
  private ConfigAdminSupport() {}

  static boolean available() {
    try {
      Class.forName("org.osgi.service.cm.ManagedServiceFactory", false, ConfigAdminSupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
