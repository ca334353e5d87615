package io.ably.engine.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose instances are touched only by the event-loop thread of the client that owns
 * them. Its fields are plain (no volatile, no atomics, no locks) and its methods begin with
 * {@code assert loop.inEventLoop()}; other threads reach it only by scheduling a task on the loop.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface EventLoopConfined {}
