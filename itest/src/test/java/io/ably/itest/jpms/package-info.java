/**
 * The JPMS proof: a modular application that requires only {@code io.ably.api}, compiled and run
 * on the module path alone, and {@code jdeps}/{@code java --validate-modules} over every module
 * jar.
 */
package io.ably.itest.jpms;
