package io.ably.api.auth;

import io.ably.api.internal.AuthUrls;
import io.ably.api.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one {@link Auth} operation obtains a token, replacing the client's own settings for that
 * operation (AO1, RSA8e, RSA10j): a key to sign with, an {@link AuthCallback}, or an {@code
 * authUrl}. A field left unset takes the client's option. Immutable; build one with {@link
 * #builder()}.
 *
 * @since 0.3
 */
public final class AuthOptions {
  private static final AuthOptions NONE = new Builder().build();

  private final String key;
  private final AuthCallback authCallback;
  private final String authUrl;
  private final AuthMethod authMethod;
  private final Map<String, String> authHeaders;
  private final Map<String, String> authParams;
  private final Boolean queryTime;

  private AuthOptions(Builder b) {
    key = b.key;
    authCallback = b.authCallback;
    authUrl = b.authUrl;
    authMethod = b.authMethod;
    authHeaders = Map.copyOf(b.authHeaders);
    authParams = Map.copyOf(b.authParams);
    queryTime = b.queryTime;
  }

  /**
   * Returns options that change nothing: the client's settings apply.
   *
   * @return the options
   */
  public static AuthOptions none() {
    return NONE;
  }

  /**
   * Returns an empty builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the key to sign with.
   *
   * @return {@code appId.keyId:keySecret}, or {@code null} for the client's
   */
  public String key() {
    return key;
  }

  /**
   * Returns the callback that obtains tokens.
   *
   * @return the callback, or {@code null} for the client's
   */
  public AuthCallback authCallback() {
    return authCallback;
  }

  /**
   * Returns the URL that gives tokens.
   *
   * @return an {@code http} or {@code https} URL, or {@code null} for the client's
   */
  public String authUrl() {
    return authUrl;
  }

  /**
   * Returns how the {@code authUrl} is requested.
   *
   * @return the method, or {@code null} for the client's
   */
  public AuthMethod authMethod() {
    return authMethod;
  }

  /**
   * Returns the headers sent to the {@code authUrl}.
   *
   * @return the headers, unmodifiable; empty for the client's
   */
  public Map<String, String> authHeaders() {
    return authHeaders;
  }

  /**
   * Returns the parameters sent to the {@code authUrl}.
   *
   * @return the parameters, unmodifiable; empty for the client's
   */
  public Map<String, String> authParams() {
    return authParams;
  }

  /**
   * Tells whether the service's time is asked for before signing a TokenRequest (RSA9d).
   *
   * @return the choice, or {@code null} for the client's
   */
  public Boolean queryTime() {
    return queryTime;
  }

  /** Shows which means are set, never the key secret, URL query or header values. */
  @Override
  public String toString() {
    return "AuthOptions[key=" + (key == null ? "none" : "***") + ", authCallback="
        + (authCallback != null) + ", authUrl=" + AuthUrls.redacted(authUrl) + ", authMethod="
        + authMethod + ", authHeaders=" + authHeaders.keySet() + ", authParams="
        + authParams.keySet() + ", queryTime=" + queryTime + "]";
  }

  /** A builder of {@link AuthOptions}; not thread-safe. */
  public static final class Builder {
    private String key;
    private AuthCallback authCallback;
    private String authUrl;
    private AuthMethod authMethod;
    private final Map<String, String> authHeaders = new LinkedHashMap<>();
    private final Map<String, String> authParams = new LinkedHashMap<>();
    private Boolean queryTime;

    private Builder() {}

    /**
     * Signs TokenRequests with this key.
     *
     * @param value {@code appId.keyId:keySecret}
     * @return this builder
     */
    public Builder key(String value) {
      key = value;
      return this;
    }

    /**
     * Obtains tokens through this callback.
     *
     * @param value the callback
     * @return this builder
     */
    public Builder authCallback(AuthCallback value) {
      authCallback = value;
      return this;
    }

    /**
     * Obtains tokens from this URL.
     *
     * @param value an {@code http} or {@code https} URL
     * @return this builder
     */
    public Builder authUrl(String value) {
      authUrl = value;
      return this;
    }

    /**
     * Requests the {@code authUrl} with this method.
     *
     * @param value GET or POST
     * @return this builder
     */
    public Builder authMethod(AuthMethod value) {
      authMethod = value;
      return this;
    }

    /**
     * Adds a header sent to the {@code authUrl}.
     *
     * @param name the header name
     * @param value its value
     * @return this builder
     */
    public Builder authHeader(String name, String value) {
      authHeaders.put(Checks.notNull(name, "authHeader name"), Checks.notNull(value, "authHeader value"));
      return this;
    }

    /**
     * Adds a parameter sent to the {@code authUrl}.
     *
     * @param name the parameter name
     * @param value its value
     * @return this builder
     */
    public Builder authParam(String name, String value) {
      authParams.put(Checks.notNull(name, "authParam name"), Checks.notNull(value, "authParam value"));
      return this;
    }

    /**
     * Asks the service's time before signing a TokenRequest (RSA9d).
     *
     * @param value {@code true} to ask
     * @return this builder
     */
    public Builder queryTime(boolean value) {
      queryTime = value;
      return this;
    }

    /**
     * Checks the fields and builds the options.
     *
     * @return the options
     * @throws io.ably.api.AblyException (40003) for a malformed URL or both a callback and a URL
     */
    public AuthOptions build() {
      AuthUrls.check("authUrl", authUrl);
      Checks.check(
          authCallback == null || authUrl == null, "authCallback and authUrl cannot both be set");
      return new AuthOptions(this);
    }
  }
}
