package io.ably.engine.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkHeaderTest {
  @Test
  void linksOnSeparateLinesResolveAgainstTheRequestPathTG() {
    Map<String, LinkHeader.Link> links =
        LinkHeader.parse(
            List.of(
                "<./messages?limit=2&direction=forwards>; rel=\"first\"",
                "<./messages?limit=2&direction=forwards&cursor=a%2Cb%20c>; rel=\"next\""),
            "/channels/my%20ch/messages");
    assertEquals("/channels/my%20ch/messages", links.get("next").path());
    assertEquals(Map.of("limit", "2", "direction", "forwards", "cursor", "a,b c"), links.get("next").query());
    assertEquals(2, links.size());
  }

  @Test
  void linksJoinedWithCommasOnOneLineAreAllRead() {
    Map<String, LinkHeader.Link> links =
        LinkHeader.parse(
            List.of("<./history?a=1>; rel=\"first\", <./history?a=1&c=2>; rel=\"current\", <./history?c=3>; rel=\"next\""),
            "/channels/x/presence/history");
    assertEquals("/channels/x/presence/history", links.get("next").path());
    assertEquals(Map.of("c", "3"), links.get("next").query());
    assertEquals(3, links.size());
  }

  @Test
  void noHeaderOrAnAbsoluteLinkGivesNoLinks() {
    assertTrue(LinkHeader.parse(null, "/stats").isEmpty());
    assertTrue(LinkHeader.parse(List.of("<https://elsewhere/stats?x=1>; rel=\"next\""), "/stats").isEmpty());
  }
}
