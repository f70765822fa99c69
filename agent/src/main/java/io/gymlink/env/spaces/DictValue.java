package io.gymlink.env.spaces;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An element of a {@link DictSpace}: one entry per key. */
public record DictValue(Map<String, SpaceValue> entries) implements SpaceValue {

  public DictValue {
    entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }
}
