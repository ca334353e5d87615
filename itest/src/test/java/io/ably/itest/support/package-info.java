/** Helpers shared by the architecture and packaging tests. */
package io.ably.itest.support;
