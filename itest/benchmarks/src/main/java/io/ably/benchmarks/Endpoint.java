package io.ably.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One connected client of a {@link Subject}, as the harness drives it: the few operations every
 * measured client has, each asynchronous so that thousands can be driven at once. Methods may be
 * called from any thread; listeners are called on whatever thread the client delivers on.
 */
interface Endpoint {

  /**
   * Attaches to a channel.
   *
   * @param channel the channel name
   * @return completes when the channel is attached
   */
  CompletableFuture<Void> attach(String channel);

  /**
   * Subscribes to every message of an attached channel.
   *
   * @param channel the channel name
   * @param onName called with each message's name, in order, one at a time
   */
  void subscribe(String channel, Consumer<String> onName);

  /**
   * Publishes one text message.
   *
   * @param channel the channel name (attached)
   * @param name the message name
   * @param text the message data
   * @return completes when the server acknowledges the message, exceptionally if it refuses it
   */
  CompletableFuture<Void> publish(String channel, String name, String text);

  /**
   * Sends a heartbeat ping.
   *
   * @return completes when the reply arrives
   */
  CompletableFuture<Void> ping();

  /**
   * Closes the connection.
   *
   * @return completes when it is closed
   */
  CompletableFuture<Void> close();
}
