/**
 * The packaging proof: every jar is a JPMS module and an OSGi bundle whose manifest agrees with its
 * module descriptor.
 */
package io.ably.itest.packaging;
