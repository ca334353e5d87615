package io.ably.itest.osgi;

import java.math.BigDecimal;
import java.util.List;

/**
 * A typed event from outside the framework, for FelixIT: the engine's codec inside Felix reads it
 * through its record components, without loading it by name.
 *
 * @param symbol a text
 * @param price a decimal whose scale must survive
 * @param tags a list
 */
public record FelixTick(String symbol, BigDecimal price, List<String> tags) {}
