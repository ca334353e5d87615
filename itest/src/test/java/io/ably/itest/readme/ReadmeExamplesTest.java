package io.ably.itest.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.Ably;
import io.ably.api.ClientOptions;
import io.ably.api.DeriveOptions;
import io.ably.api.RealtimeClient;
import io.ably.api.filter.Filter;
import io.ably.itest.AblyTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's Java samples compiling: each ```java block of README.md must appear, line by
 * line (indentation aside), in ReadmeExamples.java, which the build compiles. The messages, testkit,
 * quick start and REST samples also run, since they need no network.
 */
class ReadmeExamplesTest {
  private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  private static String normalized(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }

  @Test
  void everyJavaSampleInTheReadmeIsInTheCompiledExamples() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String examples =
        normalized(Files.readString(Path.of("src/test/java/io/ably/itest/readme/ReadmeExamples.java")));
    List<String> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(readme);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertEquals(14, blocks.size(), "the README's Java samples (update ReadmeExamples when adding one)");
    for (String block : blocks) {
      assertTrue(
          examples.contains(normalized(block)),
          "README sample not in ReadmeExamples.java (copy it there so it compiles):\n" + block);
    }
  }

  @Test
  void theTokenAuthClientSamplesBuildTheirOptions() {
    List<ClientOptions> options = ReadmeExamples.clientsObtainTokens("s");
    assertEquals(2, options.size());
    assertTrue(options.stream().allMatch(ClientOptions::usesTokenAuth));
  }

  @Test
  void theMessagesAndTestkitSamplesRun() {
    ReadmeExamples.messagesAndErrors();
    ReadmeExamples.testkitInYourTests();
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void theFilteringSampleRunsAgainstTheTestkit() {
    try (AblyTestServer server = AblyTestServer.builder().start();
        RealtimeClient client =
            Ably.realtime(
                ClientOptions.builder()
                    .key(server.defaultKey().keyStr())
                    .host("127.0.0.1")
                    .port(server.port())
                    .tls(false)
                    .build())) {
      ReadmeExamples.filtering(client);
      assertTrue(client.channels().exists(
          DeriveOptions.filter(Filter.parse("name = 'trade' AND headers.symbol IN ('AAPL','MSFT')"
              + " AND headers.qty >= 100 AND NOT headers.test")).derivedName("quotes")));
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void theZeroLossSampleContinuesInItsSecondRunWhereTheFirstStopped(@org.junit.jupiter.api.io.TempDir Path dir) {
    assertEquals(List.of("order-1", "order-2", "order-3"), ReadmeExamples.zeroLoss(dir));
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void theExactlyOnceSampleGetsEachOrderOnceAcrossTwoRunsFromTheApplicationsOwnPosition(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path ledger = dir.resolve("ledger.txt");
    assertEquals(List.of("order-1", "order-2"), ReadmeExamples.exactlyOnce(ledger), "raw deliveries, no duplicate");
    assertEquals(2, Files.readAllLines(ledger).size());
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void theAcknowledgedSampleRedeliversOnlyWhatWasNotAcknowledged(@org.junit.jupiter.api.io.TempDir Path dir) {
    assertEquals(List.of("order-1", "order-2", "order-3"), ReadmeExamples.acknowledged(dir));
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void theRestSampleRunsAsWritten() {
    ReadmeExamples.rest(); // publishes, pages through history, reads stats, batch-publishes
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void theQuickStartRunsAsWritten() {
    ReadmeExamples.quickStart(); // connects, attaches, publishes, receives and closes, or hangs
  }
}
