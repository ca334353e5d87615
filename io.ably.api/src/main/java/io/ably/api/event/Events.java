package io.ably.api.event;

import io.ably.api.internal.Checks;

/**
 * The naming convention of typed events.
 *
 * @since 0.2
 */
public final class Events {
  private Events() {}

  /**
   * Returns the event name of a class: its {@link EventName}, else its simple name.
   *
   * @param type the event class
   * @return the message name
   * @throws io.ably.api.AblyException with code 40003 if the annotation's name is empty or the
   *     class is anonymous
   */
  public static String eventName(Class<?> type) {
    Checks.notNull(type, "type");
    EventName named = type.getAnnotation(EventName.class);
    String name = named != null ? named.value() : type.getSimpleName();
    Checks.check(!name.isEmpty(), "event class " + type.getName() + " has no usable event name");
    return name;
  }
}
