/** Helpers shared by the tests: module locations, testkit tokens. */
package io.ably.itest.support;
