package io.ably.engine.internal.transport;

import io.ably.api.ErrorInfo;

/**
 * Why a transport ended without being asked to.
 *
 * @param error the error to report (80003 disconnected, 80000 failed, or the server's)
 * @param qualifiesForFallback whether the failure is one that makes a client try a fallback host
 *     (RTN17f, RSC15l): unreachable or unresolvable host, timeout, HTTP 500–504
 */
public record TransportFailure(ErrorInfo error, boolean qualifiesForFallback) {}
