/**
 * Deliberately bad (and a few deliberately good) classes on which {@code
 * ArchitectureRulesCatchViolationsTest} proves that every architecture rule can fail, and fails
 * only where it should. They are only ever read as bytecode, never run.
 */
package io.ably.itest.arch.samples;
