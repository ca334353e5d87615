package io.ably.wire;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONArray;
import com.alibaba.fastjson2.JSONObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the ably-common cross-SDK fixtures in place, from the directory the build passes as
 * {@code ably.fixtures.dir} ({@code ../shared/fixtures/ably-common} beside the checkout). A test
 * that needs them is skipped, with the missing directory named, when they are absent.
 */
final class Fixtures {
  private Fixtures() {}

  /** Returns the fixture directory, or skips the calling test if it is missing. */
  static Path dir() {
    String configured = System.getProperty("ably.fixtures.dir", "../../shared/fixtures/ably-common");
    Path dir = Path.of(configured).toAbsolutePath().normalize();
    assumeTrue(
        Files.isDirectory(dir),
        () -> "ably-common fixtures not found: directory " + dir + " is missing");
    return dir;
  }

  /** Parses a fixture file as a JSON object. */
  static JSONObject json(String fileName) {
    return JSON.parseObject(text(fileName));
  }

  /** Parses a fixture file as a JSON array (msgpack_test_fixtures.json is one). */
  static JSONArray jsonArray(String fileName) {
    return JSON.parseArray(text(fileName));
  }

  /** Reads a fixture file as UTF-8 text. */
  static String text(String fileName) {
    try {
      return Files.readString(dir().resolve(fileName));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
