/** Helpers shared by the tests: module locations, testkit tokens, printed-output capture, waiting with a deadline. */
package io.ably.itest.support;
