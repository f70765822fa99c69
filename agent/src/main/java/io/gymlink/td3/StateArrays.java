package io.gymlink.td3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named float arrays of a {@link LearnerState}, bound to the live arrays of a learner: copies them out in a
 * fixed order, and checks then copies them back in, naming every array whose size does not fit.
 */
final class StateArrays {
  private record Slot(float[] live, String layout) {}

  private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>();

  /** Binds {@code name} to {@code live}; {@code layout} describes the expected shape in error messages. */
  StateArrays add(String name, float[] live, String layout) {
    slots.put(name, new Slot(live, layout));
    return this;
  }

  /** Copies of all bound arrays, in binding order. */
  LinkedHashMap<String, float[]> snapshot() {
    LinkedHashMap<String, float[]> copies = new LinkedHashMap<>();
    slots.forEach((name, slot) -> copies.put(name, slot.live().clone()));
    return copies;
  }

  /**
   * Copies {@code arrays} into the bound arrays if the names and every size match; otherwise changes nothing and
   * throws, naming the names or shapes ({@code context} says what the expected shapes come from).
   */
  void restore(Map<String, float[]> arrays, String context) {
    if (!arrays.keySet().equals(slots.keySet())) {
      throw new IllegalArgumentException(
          "learner state has arrays " + arrays.keySet() + ", expected " + slots.keySet() + " (" + context + ")");
    }
    List<String> problems = new ArrayList<>();
    slots.forEach((name, slot) -> {
      float[] array = arrays.get(name);
      if (array == null) {
        problems.add("'" + name + "' is null, expected " + slot.layout());
      } else if (array.length != slot.live().length) {
        problems.add("'" + name + "' has " + array.length + " floats, expected " + slot.layout());
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "learner state does not fit (" + context + "): " + String.join("; ", problems));
    }
    slots.forEach((name, slot) -> System.arraycopy(arrays.get(name), 0, slot.live(), 0, slot.live().length));
  }
}
