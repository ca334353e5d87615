package io.ably.api.spi;

import io.ably.api.internal.Checks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The file-backed {@link SubscriptionStore}: one file per client name, {@code <name>.ably-subs}
 * (the name percent-encoded), in a directory. Written whole to a temporary file in the same
 * directory, forced to disk, then renamed over the old file (and the directory forced), so a crash
 * leaves the old state or the new one, never a mix.
 *
 * <p>The format is text, one field a line, versioned by its first line ({@code ably-subscriptions
 * 1}) and closed by a CRC-32 of everything before it, so a truncated or altered file is detected
 * and reported by {@link #load} as an {@link IOException} that says what is wrong. Strings are
 * stored URL-safe base64, {@code -} for none. Thread-safe: every call works on files only.
 *
 * @since 0.3
 */
public final class FileSubscriptionStore implements SubscriptionStore {
  /** The first line: the format and its version. */
  static final String HEADER = "ably-subscriptions 1";

  private final Path directory;

  /**
   * Creates the store.
   *
   * @param directory where the files are; created on the first write if missing
   */
  public FileSubscriptionStore(Path directory) {
    this.directory = Checks.notNull(directory, "directory");
  }

  /**
   * Returns the file that holds a client's state.
   *
   * @param clientName the client's name
   * @return the path (which may not exist)
   */
  public Path fileOf(String clientName) {
    Checks.check(clientName != null && !clientName.isEmpty(), "clientName must not be empty");
    StringBuilder b = new StringBuilder();
    for (byte c : clientName.getBytes(StandardCharsets.UTF_8)) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return directory.resolve(b + ".ably-subs");
  }

  @Override
  public Optional<State> load(String clientName) throws IOException {
    Path file = fileOf(clientName);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(decode(new String(bytes, StandardCharsets.UTF_8), file));
  }

  @Override
  public void save(String clientName, State state) throws IOException {
    Checks.notNull(state, "state");
    Path file = fileOf(clientName);
    Files.createDirectories(directory);
    Path tmp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(encode(state).getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    forceDirectory();
  }

  @Override
  public void delete(String clientName) throws IOException {
    Files.deleteIfExists(fileOf(clientName));
  }

  /** Makes the rename durable where the platform allows opening a directory (Linux, macOS). */
  private void forceDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory; its rename is durable enough for a process crash
    }
  }

  static String encode(State s) {
    StringBuilder b = new StringBuilder();
    b.append(HEADER).append('\n');
    b.append("expires ").append(s.expiresAt().toEpochMilli()).append('\n');
    b.append("recovery ").append(text(s.recoveryKey())).append(' ')
        .append(s.recoveryKeyExpiresAt() == null ? "-" : Long.toString(s.recoveryKeyExpiresAt().toEpochMilli()))
        .append('\n');
    for (Map.Entry<String, Position> e : s.channels().entrySet()) {
      b.append("channel ").append(text(e.getKey())).append(' ').append(text(e.getValue().lastId()))
          .append(' ').append(text(e.getValue().lastSerial())).append('\n');
    }
    CRC32 crc = new CRC32();
    crc.update(b.toString().getBytes(StandardCharsets.UTF_8));
    b.append("crc ").append(Long.toHexString(crc.getValue())).append('\n');
    return b.toString();
  }

  static State decode(String text, Path file) throws IOException {
    int crcAt = text.lastIndexOf("crc ");
    if (!text.startsWith(HEADER + "\n")) {
      String first = text.lines().findFirst().orElse("");
      throw corrupt(file, first.startsWith("ably-subscriptions ")
          ? "unsupported format version (" + first + "; this client reads " + HEADER + ")"
          : "not a subscription store file");
    }
    if (crcAt < 0 || !text.endsWith("\n")) {
      throw corrupt(file, "truncated: no checksum line");
    }
    CRC32 crc = new CRC32();
    crc.update(text.substring(0, crcAt).getBytes(StandardCharsets.UTF_8));
    String stored = text.substring(crcAt + 4).strip();
    if (!stored.equals(Long.toHexString(crc.getValue()))) {
      throw corrupt(file, "checksum mismatch: the file was truncated or altered");
    }
    Instant expires = null;
    String recovery = null;
    Instant recoveryExpires = null;
    Map<String, Position> channels = new LinkedHashMap<>();
    try {
      for (String line : text.substring(0, crcAt).split("\n", -1)) {
        if (line.isEmpty() || line.equals(HEADER)) {
          continue;
        }
        String[] f = line.split(" ", -1);
        switch (f[0]) {
          case "expires" -> expires = Instant.ofEpochMilli(Long.parseLong(f[1]));
          case "recovery" -> {
            recovery = untext(f[1]);
            recoveryExpires = f[2].equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(f[2]));
          }
          case "channel" -> channels.put(untext(f[1]), new Position(untext(f[2]), untext(f[3])));
          default -> throw corrupt(file, "unknown line " + f[0]);
        }
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw corrupt(file, "malformed line: " + e.getMessage());
    }
    if (expires == null) {
      throw corrupt(file, "no expiry");
    }
    return new State(recovery, recoveryExpires, expires, channels);
  }

  private static IOException corrupt(Path file, String why) {
    return new IOException("subscription store file " + file + " is unusable: " + why);
  }

  private static String text(String s) {
    return s == null ? "-" : Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String untext(String s) {
    if (s.equals("-")) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new NumberFormatException("not base64: " + s);
    }
  }
}
