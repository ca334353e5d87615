package io.ably.wire;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONException;
import com.alibaba.fastjson2.JSONObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A recovery key (RTN16g): the JSON both official SDKs write,
 * {@code {"connectionKey":"…","msgSerial":N,"channelSerials":{"<channel>":"<serial>"}}}, so a key
 * made by one client library can be recovered by another.
 *
 * @param connectionKey the connection key to send as {@code recover}
 * @param msgSerial the next message serial (RTN16f)
 * @param channelSerials each channel's serial to re-attach from (RTN16j)
 */
public record RecoveryKey(String connectionKey, long msgSerial, Map<String, String> channelSerials) {
  /** Validates and copies. */
  public RecoveryKey {
    if (connectionKey == null || connectionKey.isEmpty()) {
      throw new IllegalArgumentException("connectionKey must not be empty");
    }
    channelSerials = channelSerials == null ? Map.of() : Map.copyOf(channelSerials);
  }

  /**
   * Returns the JSON text.
   *
   * @return the key as other SDKs write it
   */
  public String toJson() {
    JSONObject o = new JSONObject();
    o.put("connectionKey", connectionKey);
    o.put("msgSerial", msgSerial);
    o.put("channelSerials", new LinkedHashMap<>(channelSerials));
    return o.toJSONString();
  }

  /**
   * Parses a recovery key.
   *
   * @param text the JSON text
   * @return the key, or {@code null} when the text is not a recovery key (RTN16f1: the caller
   *     logs it and connects without recovering)
   */
  public static RecoveryKey parse(String text) {
    try {
      JSONObject o = JSON.parseObject(text);
      if (o == null || !(o.get("connectionKey") instanceof String key) || key.isEmpty()) {
        return null;
      }
      Map<String, String> serials = new LinkedHashMap<>();
      JSONObject cs = o.getJSONObject("channelSerials");
      if (cs != null) {
        for (Map.Entry<String, Object> e : cs.entrySet()) {
          if (e.getValue() instanceof String s) {
            serials.put(e.getKey(), s);
          }
        }
      }
      Object serial = o.get("msgSerial");
      long msgSerial = serial instanceof Number n ? n.longValue() : 0;
      return new RecoveryKey(key, Math.max(0, msgSerial), serials);
    } catch (JSONException | ClassCastException e) {
      return null;
    }
  }
}
