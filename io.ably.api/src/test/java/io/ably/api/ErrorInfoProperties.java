package io.ably.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.generators.SourceDSL.integers;

import io.ably.testsupport.PropertyCheck;
import org.junit.jupiter.api.Test;

/** Properties of {@link ErrorInfo} over generated codes (QuickTheories). */
class ErrorInfoProperties {
  @Test
  void aCodeAndStatusPassedTheWrongWayRoundAreRejected() {
    PropertyCheck.forAll(
        1_000,
        integers().between(10_000, 99_999),
        code -> {
          ErrorCode named = ErrorCode.forCode(code);
          int status = named == null ? 400 : named.statusCode();
          AblyException e =
              assertThrows(
                  AblyException.class, () -> new ErrorInfo(status, code, "x", null, null, null, null));
          assertEquals(40003, e.code());
        });
  }
}
