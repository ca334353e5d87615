/**
 * A modular application that knows the Ably API and nothing else; the engine is found at run time.
 */
module app {
  requires io.ably.api;
}
