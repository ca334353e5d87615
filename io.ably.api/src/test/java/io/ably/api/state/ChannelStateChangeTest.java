package io.ably.api.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ably.api.AblyException;
import org.junit.jupiter.api.Test;

class ChannelStateChangeTest {

  @Test
  void th5_everyStateHasItsEnteringEvent() {
    for (ChannelState state : ChannelState.values()) {
      assertEquals(state.name(), ChannelEvent.entering(state).name());
    }
  }

  @Test
  void rtl2g_updateKeepsTheState() {
    ChannelStateChange update =
        new ChannelStateChange(
            ChannelState.ATTACHED, ChannelState.ATTACHED, ChannelEvent.UPDATE, null, false, false);
    assertEquals(ChannelEvent.UPDATE, update.event());
    assertThrows(
        AblyException.class,
        () ->
            new ChannelStateChange(
                ChannelState.ATTACHING,
                ChannelState.ATTACHED,
                ChannelEvent.UPDATE,
                null,
                false,
                false));
  }

  @Test
  void th5_eventMustMatchTheStateEntered() {
    assertThrows(
        AblyException.class,
        () ->
            new ChannelStateChange(
                ChannelState.ATTACHING,
                ChannelState.ATTACHED,
                ChannelEvent.DETACHED,
                null,
                true,
                false));
    assertThrows(
        AblyException.class,
        () ->
            new ChannelStateChange(
                null, ChannelState.ATTACHED, ChannelEvent.ATTACHED, null, true, false));
  }
}
