/** A modular application that publishes and receives typed events (records). */
module typedapp {
  requires io.ably.api;

  // What a modular application needs for typed events: its event records exported to the
  // engine's codec module, which reads them through their record components. No `opens`.
  exports example.events to io.ably.wire;
}
