package io.ably.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSubscriptionStoreTest {
  @TempDir Path dir;

  private static SubscriptionStore.State state(String key) {
    Map<String, SubscriptionStore.Position> channels = new LinkedHashMap<>();
    channels.put("orders", new SubscriptionStore.Position("abc:0", "ep:12:0"));
    channels.put("a channel with spaces and ü", new SubscriptionStore.Position(null, "ep:3:1"));
    return new SubscriptionStore.State(
        key, key == null ? null : Instant.ofEpochMilli(2_000), Instant.ofEpochMilli(9_000), channels);
  }

  @Test
  void whatIsSavedIsLoadedBackExactly() throws IOException {
    SubscriptionStore store = SubscriptionStore.inDirectory(dir);
    assertEquals(Optional.empty(), store.load("client-1"));
    SubscriptionStore.State s = state("{\"connectionKey\":\"k!x\",\"msgSerial\":3}");
    store.save("client-1", s);
    assertEquals(Optional.of(s), store.load("client-1"));
    store.save("client-1", s.withoutRecoveryKey());
    assertEquals(Optional.of(s.withoutRecoveryKey()), store.load("client-1"));
  }

  @Test
  void eachClientNameHasItsOwnSmallFileAndNoTemporaryFileStays() throws IOException {
    FileSubscriptionStore store = new FileSubscriptionStore(dir);
    store.save("a", state(null));
    store.save("b", state("key"));
    store.save("a", state("again"));
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("a.ably-subs", "b.ably-subs"), names);
    }
    assertNotEquals(store.fileOf("a/../b"), store.fileOf("b"), "names cannot escape or collide");
    assertTrue(Files.size(store.fileOf("a")) < 512);
    store.delete("a");
    assertEquals(Optional.empty(), store.load("a"));
    store.delete("a"); // nothing to delete: nothing happens
  }

  @Test
  void aTruncatedFileIsReportedClearly() throws IOException {
    FileSubscriptionStore store = new FileSubscriptionStore(dir);
    store.save("c", state("key"));
    byte[] whole = Files.readAllBytes(store.fileOf("c"));
    for (int cut : new int[] {whole.length - 1, whole.length - 12, whole.length / 2, 5, 0}) {
      Files.write(store.fileOf("c"), java.util.Arrays.copyOf(whole, cut));
      IOException e = assertThrows(IOException.class, () -> store.load("c"), "cut at " + cut);
      assertTrue(e.getMessage().contains(store.fileOf("c").toString()), e.getMessage());
      assertTrue(e.getMessage().contains("unusable"), e.getMessage());
    }
  }

  @Test
  void anAlteredFileFailsItsChecksum() throws IOException {
    FileSubscriptionStore store = new FileSubscriptionStore(dir);
    store.save("d", state(null));
    String text = Files.readString(store.fileOf("d"));
    Files.writeString(store.fileOf("d"), text.replace("expires 9000", "expires 9999"));
    IOException e = assertThrows(IOException.class, () -> store.load("d"));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }

  @Test
  void anotherFormatVersionOrAnotherFileIsRefusedByName() throws IOException {
    FileSubscriptionStore store = new FileSubscriptionStore(dir);
    Files.writeString(store.fileOf("e"), "ably-subscriptions 2\nexpires 1\n");
    IOException v = assertThrows(IOException.class, () -> store.load("e"));
    assertTrue(v.getMessage().contains("unsupported format version"), v.getMessage());
    Files.write(store.fileOf("e"), new byte[] {(byte) 0xff, 0, 1, 2}); // garbage
    IOException g = assertThrows(IOException.class, () -> store.load("e"));
    assertTrue(g.getMessage().contains("not a subscription store file"), g.getMessage());
  }

  @Test
  void theFormatIsVersionedTextEndingInAChecksum() throws IOException {
    FileSubscriptionStore store = new FileSubscriptionStore(dir);
    store.save("f", state(null));
    List<String> lines = Files.readAllLines(store.fileOf("f"), StandardCharsets.UTF_8);
    assertEquals(FileSubscriptionStore.HEADER, lines.get(0));
    assertTrue(lines.get(lines.size() - 1).startsWith("crc "));
    assertFalse(Files.readString(store.fileOf("f")).contains("orders"), "names are encoded");
  }
}
