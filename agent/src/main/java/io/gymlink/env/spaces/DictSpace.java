package io.gymlink.env.spaces;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** A product of named spaces in key order, like {@code gymnasium.spaces.Dict}. */
public record DictSpace(Map<String, Space> spaces) implements Space {

  public DictSpace {
    spaces = Collections.unmodifiableMap(new LinkedHashMap<>(spaces));
  }

  @Override
  public String check(SpaceValue value) {
    if (!(value instanceof DictValue dict)) {
      return "is " + BoxSpace.kind(value) + ", expected a Dict value with keys " + spaces.keySet();
    }
    if (!dict.entries().keySet().equals(spaces.keySet())) {
      return "has keys " + dict.entries().keySet() + ", expected " + spaces.keySet();
    }
    for (Map.Entry<String, Space> entry : spaces.entrySet()) {
      String problem = entry.getValue().check(dict.entries().get(entry.getKey()));
      if (problem != null) {
        return "entry '" + entry.getKey() + "' " + problem;
      }
    }
    return null;
  }

  @Override
  public DictValue sample(Random random) {
    Map<String, SpaceValue> entries = new LinkedHashMap<>();
    for (Map.Entry<String, Space> entry : spaces.entrySet()) {
      entries.put(entry.getKey(), entry.getValue().sample(random));
    }
    return new DictValue(entries);
  }

  @Override
  public String toString() {
    return "Dict" + spaces;
  }
}
