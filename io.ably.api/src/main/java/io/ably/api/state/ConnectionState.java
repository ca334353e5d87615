package io.ably.api.state;

/**
 * The state of a realtime connection (RTN4, RTN27).
 *
 * <pre>
 *                 connect()
 *   INITIALIZED ────────────► CONNECTING ──── CONNECTED received ───► CONNECTED
 *                               ▲   │  │                                 │ │
 *          retry timer/connect()│   │  └── fatal error ──► FAILED ◄──────┘ │ ERROR without channel
 *                               │   ▼                        │             │
 *                           DISCONNECTED ◄── transport lost ─┼─────────────┘ (resume at once)
 *                               │   ▲                        │ connect()
 *      connectionStateTtl gone  ▼   │ retry timer            ▼
 *                            SUSPENDED                  CONNECTING
 *
 *   CONNECTED ── close() ──► CLOSING ── CLOSED received / timeout ──► CLOSED
 *   DISCONNECTED, SUSPENDED ── close() ──► CLOSED;  CLOSED ── connect() ──► CONNECTING
 * </pre>
 *
 * @since 0.1
 */
public enum ConnectionState {
  /** Created and never connected; never re-entered (RTN27a). */
  INITIALIZED,
  /** Opening a transport and waiting for CONNECTED (RTN27b). */
  CONNECTING,
  /** Connected: messages flow (RTN27e). */
  CONNECTED,
  /** Transport lost; a retry is scheduled and will try to resume (RTN27c). */
  DISCONNECTED,
  /** Disconnected for longer than the connection-state TTL; retries less often (RTN27d). */
  SUSPENDED,
  /** Closing at the user's request (RTN27f). */
  CLOSING,
  /** Closed by the user (RTN27g). */
  CLOSED,
  /** Failed with an unrecoverable error; only {@code connect()} leaves it (RTN27h). */
  FAILED
}
