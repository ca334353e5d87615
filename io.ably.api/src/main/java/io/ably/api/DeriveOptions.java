package io.ably.api;

import io.ably.api.filter.Filter;
import io.ably.api.internal.Checks;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * What a derived channel derives (RTS5, DO2): a JMESPath filter that the Ably service evaluates
 * against each message's {@code name} and {@code extras.headers}, so that a subscriber of the
 * derived channel receives only the messages that match and the others never cross the network.
 * Immutable and thread-safe.
 *
 * <p>Build one from a typed {@link Filter} (which also checks the filter on the client, see
 * {@link #typedFilter()}) or from a JMESPath text:
 *
 * <pre>{@code
 * Channel trades = client.channels().getDerived("quotes",
 *     DeriveOptions.filter(Filter.parse("name = 'trade' AND headers.qty >= 100")));
 * }</pre>
 *
 * <p>A derived channel is subscribe-only: publishing to it fails with 40010.
 *
 * @since 0.2
 */
public final class DeriveOptions {
  private static final String PREFIX = "[filter=";

  private final String filter;
  private final Filter typedFilter;

  private DeriveOptions(String filter, Filter typedFilter) {
    this.filter = filter;
    this.typedFilter = typedFilter;
  }

  /**
   * Returns options deriving a channel with a typed filter, rendered with {@link
   * Filter#toJmesPath()}.
   *
   * @param filter the filter
   * @return the options
   * @throws AblyException with code 40003 if the filter is null
   */
  public static DeriveOptions filter(Filter filter) {
    Checks.notNull(filter, "filter");
    return new DeriveOptions(filter.toJmesPath(), filter);
  }

  /**
   * Returns options deriving a channel with a JMESPath filter text (DO2a), sent as it is; the
   * service checks it when the channel attaches (an invalid expression fails the attach).
   *
   * @param jmesPath the JMESPath expression, not blank
   * @return the options
   * @throws AblyException with code 40003 if the text is null or blank
   */
  public static DeriveOptions filter(String jmesPath) {
    Checks.notNull(jmesPath, "filter");
    Checks.check(!jmesPath.isBlank(), "filter must not be blank");
    return new DeriveOptions(jmesPath, null);
  }

  /**
   * Returns the JMESPath filter expression (DO2a).
   *
   * @return the expression
   */
  public String filter() {
    return filter;
  }

  /**
   * Returns the typed filter these options were made from.
   *
   * @return the filter, or {@code null} when made from a JMESPath text
   */
  public Filter typedFilter() {
    return typedFilter;
  }

  /**
   * Returns the name of the channel derived from a base channel (RTS5a1, RTS5a2): {@code
   * [filter=<base64 of the UTF-8 expression>]name}. Params given in a {@code [?params]} prefix of
   * the name move into the filter qualifier ({@code [filter=...?rewind=1]name}), as ably-js does;
   * params in {@link ChannelOptions} travel with ATTACH as on any channel.
   *
   * @param channelName the base channel name, possibly with a {@code [?params]} prefix
   * @return the derived channel name
   * @throws AblyException with code 40010 if the name is empty or already has another qualifier
   *     (such as {@code [meta]})
   */
  public String derivedName(String channelName) {
    if (channelName == null || channelName.isEmpty()) {
      throw AblyException.of(ErrorCode.INVALID_CHANNEL_NAME, "a channel name must not be empty");
    }
    String qualifierParams = "";
    String base = channelName;
    if (channelName.startsWith("[")) {
      int close = channelName.indexOf(']');
      if (close < 0 || close == channelName.length() - 1) {
        throw AblyException.of(
            ErrorCode.INVALID_CHANNEL_NAME, "cannot parse the channel name " + channelName);
      }
      String qualifier = channelName.substring(1, close);
      int q = qualifier.indexOf('?');
      String kind = q < 0 ? qualifier : qualifier.substring(0, q);
      if (!kind.isEmpty()) {
        throw AblyException.of(
            ErrorCode.INVALID_CHANNEL_NAME,
            "cannot use a derived option with a " + kind + " channel; pass the base channel name");
      }
      qualifierParams = qualifier.substring(q);
      base = channelName.substring(close + 1);
    }
    String encoded =
        Base64.getEncoder().encodeToString(filter.getBytes(StandardCharsets.UTF_8));
    return PREFIX + encoded + qualifierParams + "]" + base;
  }

  /**
   * Returns the JMESPath filter of a derived channel name, for display (for example on a channel's
   * MXBean).
   *
   * @param channelName a channel name
   * @return the decoded expression, or {@code null} if the name is not a derived one or its filter
   *     is not valid base64
   */
  public static String filterOf(String channelName) {
    if (channelName == null || !channelName.startsWith(PREFIX)) {
      return null;
    }
    int close = channelName.indexOf(']');
    if (close < 0) {
      return null;
    }
    String qualifier = channelName.substring(PREFIX.length(), close);
    int q = qualifier.indexOf('?');
    try {
      byte[] bytes = Base64.getDecoder().decode(q < 0 ? qualifier : qualifier.substring(0, q));
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Tells whether a channel name is that of a derived channel.
   *
   * @param channelName a channel name
   * @return {@code true} if it starts with the {@code [filter=} qualifier
   */
  public static boolean isDerived(String channelName) {
    return channelName != null && channelName.startsWith(PREFIX);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeriveOptions d && filter.equals(d.filter)
        && Objects.equals(typedFilter, d.typedFilter);
  }

  @Override
  public int hashCode() {
    return filter.hashCode();
  }

  @Override
  public String toString() {
    return "DeriveOptions{filter=" + filter + "}";
  }
}
