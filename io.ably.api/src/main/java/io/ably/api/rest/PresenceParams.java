package io.ably.api.rest;

import io.ably.api.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a query of the members present on a channel (RSP3a). Immutable.
 *
 * @param limit the page size, 1 to 1,000 (100 by default)
 * @param clientId only the members with this client id, or {@code null} for all
 * @param connectionId only the members of this connection, or {@code null} for all
 * @since 0.2
 */
public record PresenceParams(int limit, String clientId, String connectionId) {
  private static final PresenceParams DEFAULTS =
      new PresenceParams(HistoryParams.DEFAULT_LIMIT, null, null);

  /**
   * Checks the values.
   *
   * @throws io.ably.api.AblyException (40003) if the limit is out of range
   */
  public PresenceParams {
    Checks.check(
        limit >= 1 && limit <= HistoryParams.MAX_LIMIT, "limit must be 1-1000, was " + limit);
  }

  /**
   * Returns the defaults: every member, 100 a page.
   *
   * @return the defaults
   */
  public static PresenceParams defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a copy with a page size.
   *
   * @param value 1 to 1,000
   * @return the copy
   */
  public PresenceParams limit(int value) {
    return new PresenceParams(value, clientId, connectionId);
  }

  /**
   * Returns a copy filtered by client id.
   *
   * @param value the client id, or {@code null} for all
   * @return the copy
   */
  public PresenceParams clientId(String value) {
    return new PresenceParams(limit, value, connectionId);
  }

  /**
   * Returns a copy filtered by connection id.
   *
   * @param value the connection id, or {@code null} for all
   * @return the copy
   */
  public PresenceParams connectionId(String value) {
    return new PresenceParams(limit, clientId, value);
  }

  /**
   * Returns the query parameters.
   *
   * @return an ordered map
   */
  public Map<String, String> toQuery() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("limit", Integer.toString(limit));
    if (clientId != null) {
      q.put("clientId", clientId);
    }
    if (connectionId != null) {
      q.put("connectionId", connectionId);
    }
    return q;
  }
}
