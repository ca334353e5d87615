/**
 * The demo behind the README's main-job command ({@code java -jar itest/target/ably-demo.jar}):
 * the client shown end to end on an embedded testkit server. Not exported; may change without
 * notice.
 */
package io.ably.itest.demo;
