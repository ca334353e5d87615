package io.ably.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.api.filter.Field;
import io.ably.api.filter.Filter;
import org.junit.jupiter.api.Test;

class DeriveOptionsTest {

  @Test
  void rts5a1TheFilterIsBase64EncodedInTheQualifier() {
    // The specification's worked example (uts channel_options RTS5a1).
    assertEquals(
        "[filter=bmFtZSA9PSAndGVzdCc=]chat",
        DeriveOptions.filter("name == 'test'").derivedName("chat"));
  }

  @Test
  void rts5a2ParamsOfABracketPrefixMoveIntoTheFilterQualifierAsAblyJsDoes() {
    assertEquals(
        "[filter=bmFtZSA9PSAndGVzdCc=?rewind=1]chat",
        DeriveOptions.filter("name == 'test'").derivedName("[?rewind=1]chat"));
  }

  @Test
  void aNameWithAnotherQualifierOrNoNameIsRefusedWith40010() {
    DeriveOptions d = DeriveOptions.filter("true");
    AblyException meta = assertThrows(AblyException.class, () -> d.derivedName("[meta]chat"));
    assertEquals(40010, meta.code());
    assertTrue(meta.getMessage().contains("meta"), meta.getMessage());
    assertEquals(40010, assertThrows(AblyException.class, () -> d.derivedName("")).code());
    assertEquals(40010, assertThrows(AblyException.class, () -> d.derivedName("[?rewind=1]")).code());
    assertEquals(40003, assertThrows(AblyException.class, () -> DeriveOptions.filter(" ")).code());
  }

  @Test
  void aTypedFilterTravelsAsItsJmesPathAndIsReadBackFromTheName() {
    Filter f = Field.NAME.eq("trade").and(Field.header("qty").ge(100));
    DeriveOptions d = DeriveOptions.filter(f);
    assertEquals(f.toJmesPath(), d.filter());
    assertEquals(f, d.typedFilter());
    String name = d.derivedName("quotes");
    assertTrue(DeriveOptions.isDerived(name));
    assertEquals(f.toJmesPath(), DeriveOptions.filterOf(name));
    assertEquals(f.toJmesPath(), DeriveOptions.filterOf(d.derivedName("[?rewind=5]quotes")));
    assertNull(DeriveOptions.filterOf("quotes"));
    assertFalse(DeriveOptions.isDerived("[?rewind=1]quotes"));
    assertNull(DeriveOptions.filterOf("[filter=%%%]quotes"));
  }

  @Test
  void aUnicodeFilterIsEncodedAsUtf8() {
    String name = DeriveOptions.filter("name == 'café'").derivedName("c");
    assertEquals("[filter=bmFtZSA9PSAnY2Fmw6kn]c", name);
  }
}
