package io.ably.benchmarks;

import java.util.concurrent.CompletableFuture;

/**
 * A kind of client under measurement: this client with either delivery, ably-java, or the bare
 * Netty floor. It makes {@link Endpoint}s connected to one server and owns whatever they share;
 * {@link #close} releases that.
 */
interface Subject extends AutoCloseable {

  /**
   * A short key for file names and table rows.
   *
   * @return for example {@code ours-default}
   */
  String key();

  /**
   * What this subject is, for a person.
   *
   * @return for example {@code this client, callback executor}
   */
  String title();

  /**
   * Connects a new client.
   *
   * @param echo whether the server is to echo the client's own messages back to it
   * @return completes with the client once it is connected
   */
  CompletableFuture<Endpoint> connect(boolean echo);

  /**
   * The name prefix of the threads this subject's clients run on, to count them wherever they
   * were started.
   *
   * @return the prefix, or {@code null} when the threads have no common name (then the scale case
   *     counts live threads added)
   */
  String threadPrefix();

  /** Releases what the subject's clients share (event loops, threads). */
  @Override
  void close();
}
