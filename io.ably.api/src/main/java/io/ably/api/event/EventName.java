package io.ably.api.event;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The message name of a typed event class; without it, the class's simple name is the event name.
 *
 * <pre>{@code
 * @EventName("trade")
 * record Trade(String symbol, BigDecimal price, long qty) {}
 * }</pre>
 *
 * @since 0.2
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventName {
  /**
   * Returns the event name.
   *
   * @return the message name, not empty
   */
  String value();
}
