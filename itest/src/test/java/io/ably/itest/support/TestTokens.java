package io.ably.itest.support;

import com.alibaba.fastjson2.JSON;
import io.ably.itest.AblyTestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Tokens from a testkit, requested over its REST API with its default key, as a backend would. */
public final class TestTokens {
  private TestTokens() {}

  /**
   * Requests a token.
   *
   * @param server the testkit (plain HTTP)
   * @param tokenParams TokenParams as JSON, {@code "{}"} for the defaults
   * @return the token string
   * @throws IOException if the request fails or is refused
   */
  public static String request(AblyTestServer server, String tokenParams) throws IOException {
    String keyStr = server.defaultKey().keyStr();
    HttpURLConnection http =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + server.port() + "/keys/" + server.defaultKey().keyName() + "/requestToken")
                .toURL()
                .openConnection();
    http.setRequestMethod("POST");
    http.setDoOutput(true);
    http.setRequestProperty("Content-Type", "application/json");
    http.setRequestProperty("Accept", "application/json");
    http.setRequestProperty(
        "Authorization", "Basic " + Base64.getEncoder().encodeToString(keyStr.getBytes(StandardCharsets.UTF_8)));
    try (OutputStream out = http.getOutputStream()) {
      out.write(tokenParams.getBytes(StandardCharsets.UTF_8));
    }
    if (http.getResponseCode() != 200) {
      throw new IOException("requestToken answered " + http.getResponseCode());
    }
    return JSON.parseObject(new String(http.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).getString("token");
  }
}
