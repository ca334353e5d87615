package io.ably.wire;

import com.alibaba.fastjson2.JSONWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageIntegerOverflowException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The typed reads of one MessagePack input for {@link MsgpackDecoder}: strings, integers, headers
 * and skips, each checking the declared length against the bytes left before allocating, and
 * copies of maps and arrays to canonical JSON text. One instance per decode call, or one per
 * {@link MsgpackFrameDecoder}, restarted for each frame.
 */
final class MsgpackInput {
  /** Strings and keys up to this many bytes are read through a kept array. */
  static final int MAX_KEPT_SCRATCH = 64 * 1024;

  private final MessageUnpacker u;
  private byte[] scratch = new byte[256];
  /** The length of the current input. */
  private long length;

  MsgpackInput(MessageUnpacker u, long length) {
    this.u = u;
    this.length = length;
  }

  /** Starts over on a new input of {@code length} bytes, which the unpacker was reset to. */
  void restart(long length) {
    this.length = length;
  }

  /** Reads a nil if one is next. */
  boolean tryNil() throws IOException {
    return u.tryUnpackNil();
  }

  /** Returns the format of the next value without reading it. */
  MessageFormat nextFormat() throws IOException {
    return u.getNextFormat();
  }

  /** Reads a nil. */
  void nil() throws IOException {
    u.unpackNil();
  }

  /** Reads a bin into a new array, after checking its length against the input left. */
  byte[] binary(String field) throws IOException {
    int n = u.unpackBinaryHeader();
    checkBytes(n, field);
    return u.readPayload(n);
  }

  /** Reads {@code extras}: nil, or a map as canonical JSON object text. */
  String extras(String field) throws IOException {
    if (u.tryUnpackNil()) {
      return null;
    }
    MessageFormat f = u.getNextFormat();
    if (f.getValueType() != ValueType.MAP) {
      throw wrongType(field, "a map", f);
    }
    return canonicalJson(field);
  }

  /** Reads one value as canonical JSON text (see {@link JsonValues}). */
  String canonicalJson(String field) throws IOException {
    try (JSONWriter w = JSONWriter.of()) {
      copyAsJson(w, 0, field);
      return w.toString();
    }
  }

  private void copyAsJson(JSONWriter w, int depth, String field) throws IOException {
    if (depth > WireData.MAX_VALUE_DEPTH) {
      throw new WireFormatException(
          field + ": nested deeper than " + WireData.MAX_VALUE_DEPTH + " levels");
    }
    MessageFormat f = u.getNextFormat();
    switch (f.getValueType()) {
      case NIL -> {
        u.unpackNil();
        w.writeNull();
      }
      case BOOLEAN -> w.writeBool(u.unpackBoolean());
      case INTEGER -> {
        if (f == MessageFormat.UINT64) {
          BigInteger b = u.unpackBigInteger();
          JsonValues.writeNumber(w, b.bitLength() < 64 ? (Object) b.longValue() : b);
        } else {
          w.writeInt64(u.unpackLong());
        }
      }
      case FLOAT -> JsonValues.writeNumber(w, WireData.canonicalDouble(u.unpackDouble()));
      case STRING -> w.writeString(str(field));
      case ARRAY -> {
        int n = arrayHeader(field);
        w.startArray();
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            w.writeComma();
          }
          copyAsJson(w, depth + 1, field);
        }
        w.endArray();
      }
      case MAP -> {
        int n = mapHeader(field);
        w.startObject();
        for (int i = 0; i < n; i++) {
          w.writeName(key(field));
          w.writeColon();
          copyAsJson(w, depth + 1, field);
        }
        w.endObject();
      }
      default -> throw new WireFormatException(field + ": " + f + " has no JSON form");
    }
  }

  /** Reads a str or nil. */
  String string(String field) throws IOException {
    return nilNext(field) ? null : str(field);
  }

  /** Reads a nil and returns {@code true}, or returns {@code false} with a str next. */
  private boolean nilNext(String field) throws IOException {
    MessageFormat f = u.getNextFormat();
    if (f == MessageFormat.NIL) {
      u.unpackNil();
      return true;
    }
    if (f.getValueType() != ValueType.STRING) {
      throw wrongType(field, "a string", f);
    }
    return false;
  }

  /** Reads an integer of any width, or an integral float, or nil. */
  Long int64(String field) throws IOException {
    MessageFormat f = u.getNextFormat();
    switch (f.getValueType()) {
      case NIL -> {
        u.unpackNil();
        return null;
      }
      case INTEGER -> {
        try {
          return u.unpackLong(); // a uint64 below 2^63 too, without a BigInteger
        } catch (MessageIntegerOverflowException e) {
          throw new WireFormatException(field + ": " + e.getBigInteger() + " is out of range");
        }
      }
      case FLOAT -> {
        return WireData.integral(u.unpackDouble(), field);
      }
      default -> throw wrongType(field, "an integer", f);
    }
  }

  /** Reads the str at the cursor, whose format was checked by the caller. */
  String str(String field) throws IOException {
    int n = u.unpackRawStringHeader();
    checkBytes(n, field);
    if (n == 0) {
      return "";
    }
    return readString(n);
  }

  /** Reads {@code n} bytes, whose length was checked, as a new string. */
  private String readString(int n) throws IOException {
    if (n > MAX_KEPT_SCRATCH) {
      return new String(u.readPayload(n), StandardCharsets.UTF_8);
    }
    byte[] bytes = scratch(n);
    u.readPayload(bytes, 0, n);
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }

  /** The fields whose values usually repeat from one frame of a connection to the next. */
  static final class Recent {
    static final int CHANNEL = 0;
    static final int CONNECTION_ID = 1;
    static final int NAME = 2;
    static final int CLIENT_ID = 3;
    static final int ENCODING = 4;
    static final int COUNT = 5;

    private Recent() {}
  }

  /** Values up to this many bytes are remembered by {@link #repeatedString}. */
  static final int MAX_RECENT_BYTES = 128;

  /** The bytes of the last value read by {@link #repeatedString} for each {@link Recent} field. */
  private byte[][] recentBytes;
  private int[] recentLength;
  private String[] recentString;

  /**
   * Reads a str or nil, as {@link #string}, for a field whose value usually repeats (a channel's
   * name, the connection id, an event name): when its bytes are those of the last value read for
   * the same field ({@link Recent}), that same {@code String} is returned instead of a new one
   * (issue #20). Strings are immutable, so sharing one is invisible to the reader.
   */
  String repeatedString(String field, int slot) throws IOException {
    if (nilNext(field)) {
      return null;
    }
    int n = u.unpackRawStringHeader();
    checkBytes(n, field);
    if (n == 0) {
      return "";
    }
    if (n > MAX_RECENT_BYTES) {
      return readString(n);
    }
    byte[] bytes = scratch(n);
    u.readPayload(bytes, 0, n);
    if (recentBytes == null) {
      recentBytes = new byte[Recent.COUNT][];
      recentLength = new int[recentBytes.length];
      recentString = new String[recentBytes.length];
    }
    int i = slot;
    byte[] last = recentBytes[i];
    if (last != null && recentLength[i] == n && Arrays.equals(last, 0, n, bytes, 0, n)) {
      return recentString[i];
    }
    String value = new String(bytes, 0, n, StandardCharsets.UTF_8);
    if (last == null || last.length < n) {
      last = new byte[Math.max(n, 32)];
      recentBytes[i] = last;
    }
    System.arraycopy(bytes, 0, last, 0, n);
    recentLength[i] = n;
    recentString[i] = value;
    return value;
  }

  /** Reads a map key, returning the constant string for a known field name. */
  String key(String field) throws IOException {
    MessageFormat f = u.getNextFormat();
    if (f.getValueType() != ValueType.STRING) {
      throw wrongType(field + " key", "a string", f);
    }
    int n = u.unpackRawStringHeader();
    checkBytes(n, field);
    if (n > MAX_KEPT_SCRATCH) {
      return new String(u.readPayload(n), StandardCharsets.UTF_8);
    }
    byte[] bytes = scratch(n);
    u.readPayload(bytes, 0, n);
    String known = MsgpackKey.lookup(bytes, 0, n);
    return known != null ? known : new String(bytes, 0, n, StandardCharsets.UTF_8);
  }

  /**
   * The array strings and keys are read into before they become a {@code String} (issue #20: a
   * {@code MessageBuffer} slice per key and per string was a large part of the receive path's
   * allocation). It grows up to {@link #MAX_KEPT_SCRATCH}; longer strings get their own array.
   */
  private byte[] scratch(int n) {
    if (n > scratch.length) {
      scratch = new byte[Math.min(MAX_KEPT_SCRATCH, Math.max(n, scratch.length * 2))];
    }
    return scratch;
  }

  /**
   * Skips one value of an unknown field. msgpack-core's own skipValue() is not used: it counts
   * entries in an int, so a map32 header of 2^30 or more entries overflows it and the skip ends
   * early without error. Here containers are opened with the same length checks as anywhere else.
   */
  void skip() throws IOException {
    long pending = 1;
    while (pending > 0) {
      pending--;
      MessageFormat f = u.getNextFormat();
      switch (f.getValueType()) {
        case ARRAY -> pending += arrayHeader("skipped value");
        case MAP -> pending += 2L * mapHeader("skipped value");
        case STRING -> skipPayload(u.unpackRawStringHeader());
        case BINARY -> skipPayload(u.unpackBinaryHeader());
        case EXTENSION -> skipPayload(u.unpackExtensionTypeHeader().getLength());
        default -> u.skipValue();
      }
    }
  }

  private void skipPayload(int n) throws IOException {
    checkBytes(n, "skipped value");
    u.readPayloadAsReference(n);
  }

  /** Reads a map header; each entry needs at least two bytes of the remaining input. */
  int mapHeader(String field) throws IOException {
    MessageFormat f = u.getNextFormat();
    if (f.getValueType() != ValueType.MAP) {
      throw wrongType(field, "a map", f);
    }
    int n = u.unpackMapHeader();
    if (2L * n > remaining()) {
      throw tooLong(field, "map of " + n + " entries");
    }
    return n;
  }

  /** Reads an array header; each element needs at least one byte of the remaining input. */
  int arrayHeader(String field) throws IOException {
    MessageFormat f = u.getNextFormat();
    if (f.getValueType() != ValueType.ARRAY) {
      throw wrongType(field, "an array", f);
    }
    int n = u.unpackArrayHeader();
    if (n > remaining()) {
      throw tooLong(field, "array of " + n + " elements");
    }
    return n;
  }

  void checkBytes(int n, String field) {
    if (n > remaining()) {
      throw tooLong(field, "payload of " + n + " bytes");
    }
  }

  private long remaining() {
    return length - u.getTotalReadBytes();
  }

  private WireFormatException tooLong(String field, String what) {
    return new WireFormatException(
        field + ": " + what + " declared at offset " + u.getTotalReadBytes()
            + " exceeds the " + remaining() + " bytes left");
  }

  private WireFormatException wrongType(String field, String expected, MessageFormat found) {
    return new WireFormatException(
        field + ": expected " + expected + ", found " + found + " at offset "
            + u.getTotalReadBytes());
  }
}
