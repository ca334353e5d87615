package io.ably.api.state;

/**
 * The state of a realtime channel (RTL2).
 *
 * <pre>
 *                 attach()                 ATTACHED received
 *   INITIALIZED ─────────► ATTACHING ─────────────────────────► ATTACHED
 *                           ▲    │ timeout / connection SUSPENDED   │ │
 *      retry / connected    │    ▼                                  │ │ detach()
 *                           SUSPENDED ◄─── connection SUSPENDED ────┘ ▼
 *                                                                DETACHING ── DETACHED received ──► DETACHED
 *   any state ── channel ERROR / connection FAILED ──► FAILED;  FAILED, DETACHED ── attach() ──► ATTACHING
 * </pre>
 *
 * @since 0.1
 */
public enum ChannelState {
  /** Created and never attached. */
  INITIALIZED,
  /** ATTACH sent, waiting for ATTACHED (RTL4). */
  ATTACHING,
  /** Attached: messages flow (RTL2). */
  ATTACHED,
  /** DETACH sent, waiting for DETACHED (RTL5). */
  DETACHING,
  /** Detached. */
  DETACHED,
  /** Could not stay attached; a re-attach is scheduled (RTL3c, RTL4f). */
  SUSPENDED,
  /** Failed with an error (RTL14). */
  FAILED
}
