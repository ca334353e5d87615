package io.ably.api.rest;

/**
 * The order of a paginated query (RSL2b2, RSC6b2).
 *
 * @since 0.2
 */
public enum Direction {
  /** Oldest first. */
  FORWARDS,
  /** Newest first: the default. */
  BACKWARDS;

  /**
   * Returns the query parameter value.
   *
   * @return {@code forwards} or {@code backwards}
   */
  public String paramValue() {
    return this == FORWARDS ? "forwards" : "backwards";
  }
}
