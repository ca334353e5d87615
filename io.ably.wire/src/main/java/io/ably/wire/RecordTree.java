package io.ably.wire;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps records to and from a plain tree (maps, lists, strings, numbers, booleans, null) through
 * {@link RecordComponent}s: the accessors and the canonical constructor of the user's record, so
 * the record class needs only to be public and exported to this module; no library reflects on
 * it, nothing is made accessible. Supported component types: records, {@code List} of a supported
 * type, {@code Map} with {@code String} keys, enums (by name), {@code String}, {@code boolean},
 * the primitive numbers and their boxes, {@code BigDecimal}, {@code BigInteger} and {@code
 * Instant} (ISO-8601 text). Stateless.
 */
final class RecordTree {
  private RecordTree() {}

  static Object toTree(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean
        || value instanceof Number) {
      return value;
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Instant i) {
      return i.toString();
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(toTree(o));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(String.valueOf(e.getKey()), toTree(e.getValue()));
      }
      return out;
    }
    Class<?> type = value.getClass();
    if (type.isRecord()) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (RecordComponent c : type.getRecordComponents()) {
        try {
          out.put(c.getName(), toTree(c.getAccessor().invoke(value)));
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalArgumentException(
              "cannot read " + type.getName() + "." + c.getName()
                  + " (is the record public, in a package exported to io.ably.wire?)", e);
        }
      }
      return out;
    }
    throw new IllegalArgumentException("unsupported type in an event: " + type.getName());
  }

  static Object fromTree(Object tree, Type type, String path) {
    Class<?> raw = raw(type);
    if (tree == null) {
      if (raw.isPrimitive()) {
        throw new IllegalArgumentException(path + ": missing " + raw.getName());
      }
      return null;
    }
    if (raw == String.class) {
      return expect(tree, String.class, path);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return expect(tree, Boolean.class, path);
    }
    if (raw.isEnum()) {
      String name = expect(tree, String.class, path);
      for (Object constant : raw.getEnumConstants()) {
        if (((Enum<?>) constant).name().equals(name)) {
          return constant;
        }
      }
      throw new IllegalArgumentException(path + ": no " + raw.getSimpleName() + " named " + name);
    }
    if (raw == Instant.class) {
      try {
        return Instant.parse(expect(tree, String.class, path));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(path + ": not an instant: " + tree, e);
      }
    }
    if (Number.class.isAssignableFrom(boxed(raw))) {
      return number(tree, boxed(raw), path);
    }
    if (raw == List.class) {
      List<?> list = expect(tree, List.class, path);
      Type element = argument(type, 0, path);
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(fromTree(list.get(i), element, path + "[" + i + "]"));
      }
      return List.copyOf(out);
    }
    if (raw == Map.class) {
      Map<?, ?> map = expect(tree, Map.class, path);
      Type valueType = argument(type, 1, path);
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(String.valueOf(e.getKey()), fromTree(e.getValue(), valueType, path + "." + e.getKey()));
      }
      return out;
    }
    if (raw.isRecord()) {
      Map<?, ?> map = expect(tree, Map.class, path);
      RecordComponent[] components = raw.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      Object[] args = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        RecordComponent c = components[i];
        types[i] = c.getType();
        args[i] = fromTree(map.get(c.getName()), c.getGenericType(), path + "." + c.getName());
      }
      try {
        Constructor<?> canonical = raw.getDeclaredConstructor(types);
        return canonical.newInstance(args);
      } catch (InvocationTargetException e) {
        throw new IllegalArgumentException(
            path + ": " + raw.getSimpleName() + " refused the values: " + e.getCause(), e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException(
            "cannot construct " + raw.getName()
                + " (is the record public, in a package exported to io.ably.wire?)", e);
      }
    }
    throw new IllegalArgumentException(path + ": unsupported type " + type.getTypeName());
  }

  private static Object number(Object tree, Class<?> boxed, String path) {
    BigDecimal d;
    if (tree instanceof BigDecimal bd) {
      d = bd;
    } else if (tree instanceof BigInteger bi) {
      d = new BigDecimal(bi);
    } else if (tree instanceof Double || tree instanceof Float) {
      d = new BigDecimal(tree.toString());
    } else if (tree instanceof Number n) {
      d = BigDecimal.valueOf(n.longValue());
    } else if (tree instanceof String s && boxed == BigDecimal.class) {
      try {
        d = new BigDecimal(s); // MessagePack carries an inexact decimal as its text
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(path + ": not a number: " + s, e);
      }
    } else {
      throw new IllegalArgumentException(path + ": expected a number, found " + describe(tree));
    }
    try {
      if (boxed == BigDecimal.class) {
        return d;
      } else if (boxed == BigInteger.class) {
        return d.toBigIntegerExact();
      } else if (boxed == Long.class) {
        return d.longValueExact();
      } else if (boxed == Integer.class) {
        return d.intValueExact();
      } else if (boxed == Short.class) {
        return d.shortValueExact();
      } else if (boxed == Byte.class) {
        return d.byteValueExact();
      } else if (boxed == Double.class) {
        return d.doubleValue();
      } else if (boxed == Float.class) {
        return d.floatValue();
      }
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(path + ": " + d + " does not fit " + boxed.getSimpleName(), e);
    }
    throw new IllegalArgumentException(path + ": unsupported number type " + boxed.getName());
  }

  private static <T> T expect(Object tree, Class<T> type, String path) {
    if (!type.isInstance(tree)) {
      throw new IllegalArgumentException(
          path + ": expected " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT)
              + ", found " + describe(tree));
    }
    return type.cast(tree);
  }

  private static String describe(Object tree) {
    String s = String.valueOf(tree);
    return (tree instanceof String ? "text " : "") + (s.length() > 40 ? s.substring(0, 37) + "..." : s);
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalArgumentException("unsupported type " + type.getTypeName());
  }

  private static Type argument(Type type, int index, String path) {
    if (type instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[index];
    }
    throw new IllegalArgumentException(path + ": a raw " + type.getTypeName() + " has no element type");
  }

  private static Class<?> boxed(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == long.class) {
      return Long.class;
    } else if (c == int.class) {
      return Integer.class;
    } else if (c == double.class) {
      return Double.class;
    } else if (c == float.class) {
      return Float.class;
    } else if (c == short.class) {
      return Short.class;
    } else if (c == byte.class) {
      return Byte.class;
    } else if (c == boolean.class) {
      return Boolean.class;
    }
    return c; // char, void: unsupported, caught by the caller's checks
  }
}
