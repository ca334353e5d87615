package io.ably.osgi;

import io.ably.api.AblyException;
import io.ably.api.ClientOptions;
import io.ably.api.RealtimeClient;
import java.util.Map;

/**
 * The OSGi service that creates Ably realtime clients: the OSGi counterpart of
 * {@link io.ably.api.Ably#realtime(ClientOptions)}, which finds its engine with
 * {@link java.util.ServiceLoader} and so cannot see the engine bundle from another bundle.
 *
 * <pre>{@code
 * @Reference AblyClientFactory ably;                       // DS, or any service lookup
 *
 * RealtimeClient client = ably.create(ClientOptions.builder().key(key).name("prices").build());
 * client.connection().whenState(ConnectionState.CONNECTED).thenRun(() -> log("up"));
 * }</pre>
 *
 * <h2>How the engine gets here</h2>
 *
 * The engine bundle ({@code io.ably.engine}) stays free of OSGi code: as a JPMS module it {@code
 * provides io.ably.api.spi.RealtimeClientFactory}, and its jar carries the matching {@code
 * META-INF/services} entry for the class path. The {@code io.ably.osgi} bundle acts as a small
 * extender for that one interface: for every <em>active</em> bundle whose jar has the entry {@code
 * META-INF/services/io.ably.api.spi.RealtimeClientFactory}, it loads the named class through that
 * bundle, checks that it implements the same {@code RealtimeClientFactory} this bundle sees (one
 * {@code io.ably.api} in the class space), and registers an instance as a {@code
 * RealtimeClientFactory} service <em>on behalf of that bundle</em> (with the bundle's own context,
 * so the framework unregisters it when the engine stops). This service is registered while at
 * least one engine is, and uses the highest-ranked one.
 *
 * <p>Why not the alternatives: an activator in the engine would put OSGi API imports into the
 * engine for the sake of one container; the OSGi Service Loader Mediator ({@code osgi.serviceloader}
 * capabilities) needs an implementation such as Aries SPI Fly and its ASM bundles installed in
 * every framework, which neither plain Felix nor a default Karaf has.
 *
 * <h2>Lifecycle and threads</h2>
 *
 * The service is a {@code ServiceFactory}: each bundle gets its own instance, and the clients a
 * bundle created and did not close are closed when that bundle releases the service (when it stops,
 * say). Clients behave exactly as on the class path: see {@link RealtimeClient} for which thread
 * calls back. Both methods return at once; the client connects in the background unless {@code
 * autoConnect} is off.
 *
 * <h2>Configured clients</h2>
 *
 * The same bundle creates clients from Config Admin: one per configuration of the factory PID
 * {@value ClientProperties#FACTORY_PID} (in Karaf, a file {@code etc/io.ably.client-<name>.cfg}),
 * each registered as a {@link RealtimeClient} service with the property {@value
 * ClientProperties#NAME}; see {@link ClientProperties} for the keys.
 *
 * @since 0.1
 */
public interface AblyClientFactory {
  /**
   * Creates a client.
   *
   * @param options the options
   * @return the client, connecting at once unless {@code autoConnect} is off
   * @throws AblyException (50000) if the engine has gone away
   */
  RealtimeClient create(ClientOptions options);

  /**
   * Creates a client from properties, with the keys and value formats of a Config Admin
   * configuration ({@link ClientProperties}): strings, or numbers and booleans for {@code port},
   * {@code tls}, {@code useBinaryProtocol}, {@code echoMessages} and {@code autoConnect}. Keys this
   * method does not know are ignored, and {@link ClientProperties#JMX} and {@link
   * ClientProperties#CHANNELS} are for configured clients only.
   *
   * @param properties the properties
   * @return the client, connecting at once unless {@code autoConnect} is false
   * @throws AblyException (40003, 40005 or 40012) naming the property that is wrong (never the
   *     value of a secret); (50000) if the engine has gone away
   */
  RealtimeClient create(Map<String, ?> properties);
}
