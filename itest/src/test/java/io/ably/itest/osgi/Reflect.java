package io.ably.itest.osgi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Calls methods on objects that live in a framework's bundles: their classes come from bundle
 * class loaders, not from this test's class path, so the test reaches them through their public
 * interfaces by name, passing and receiving JDK types only.
 */
final class Reflect {
  private Reflect() {}

  /**
   * Calls a public method declared by a public class or interface of the target.
   *
   * @param target the object
   * @param name the method's name
   * @param args the arguments; each must be assignable to its parameter
   * @return the result
   */
  static Object call(Object target, String name, Object... args) {
    Method method = find(target.getClass(), name, args);
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns a constant of an enum loaded by the same class loader as another object's class. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object constant(ClassLoader loader, String enumClass, String name) throws ClassNotFoundException {
    return Enum.valueOf((Class) Class.forName(enumClass, true, loader), name);
  }

  private static Method find(Class<?> type, String name, Object[] args) {
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(type);
    while (!todo.isEmpty()) {
      Class<?> c = todo.poll();
      if (Modifier.isPublic(c.getModifiers())) {
        for (Method m : c.getDeclaredMethods()) {
          if (m.getName().equals(name) && Modifier.isPublic(m.getModifiers()) && fits(m, args)) {
            return m;
          }
        }
      }
      if (c.getSuperclass() != null) {
        todo.add(c.getSuperclass());
      }
      todo.addAll(java.util.List.of(c.getInterfaces()));
    }
    throw new AssertionError("no public method " + name + " for " + args.length + " argument(s) on " + type);
  }

  private static boolean fits(Method m, Object[] args) {
    Class<?>[] parameters = m.getParameterTypes();
    if (parameters.length != args.length) {
      return false;
    }
    for (int i = 0; i < args.length; i++) {
      if (args[i] != null && !box(parameters[i]).isInstance(args[i])) {
        return false;
      }
    }
    return true;
  }

  private static Class<?> box(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    if (type == int.class) {
      return Integer.class;
    }
    if (type == long.class) {
      return Long.class;
    }
    if (type == boolean.class) {
      return Boolean.class;
    }
    return type;
  }
}
