/**
 * Message filters with three faces: one typed {@link io.ably.api.filter.Filter} value that renders
 * to the JMESPath expression the Ably service evaluates for a derived channel (RTS5), compiles to a
 * {@code Predicate<Message>} with the same meaning for filtering on the client (RTL22), and parses
 * from a SQL {@code WHERE}-like text.
 *
 * <p>A filter sees two things of a message, as the service does: its {@code name} and the members
 * of {@code extras.headers} (an empty object when the message has none). Everything here is pure
 * and thread-safe: values are immutable and nothing calls back.
 *
 * @since 0.2
 */
@Export
@Version("0.2.0")
package io.ably.api.filter;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
