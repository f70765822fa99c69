package io.gymlink.td3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The named float arrays of a {@link LearnerState}, bound to where a learner keeps them (network parameters and
 * Adam moments in ND4J arrays, the noise generator's state): copies them out in a fixed order, and checks then
 * copies them back in, naming every array whose size does not fit.
 */
final class StateArrays {
  private record Slot(int[] lengths, String layout, Supplier<float[]> reader, Consumer<float[]> writer) {}

  private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>();

  /**
   * Binds {@code name}: {@code reader} returns a copy of the live values, {@code writer} overwrites them; any of
   * {@code lengths} is accepted on restore (the first is the current one); {@code layout} describes the expected
   * shape in error messages.
   */
  StateArrays add(String name, String layout, Supplier<float[]> reader, Consumer<float[]> writer, int... lengths) {
    slots.put(name, new Slot(lengths, layout, reader, writer));
    return this;
  }

  /** Copies of all bound arrays, in binding order. */
  LinkedHashMap<String, float[]> snapshot() {
    LinkedHashMap<String, float[]> copies = new LinkedHashMap<>();
    slots.forEach((name, slot) -> copies.put(name, slot.reader().get()));
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
      } else if (java.util.Arrays.stream(slot.lengths()).noneMatch(length -> length == array.length)) {
        problems.add("'" + name + "' has " + array.length + " floats, expected " + slot.layout());
      }
    });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "learner state does not fit (" + context + "): " + String.join("; ", problems));
    }
    slots.forEach((name, slot) -> slot.writer().accept(arrays.get(name)));
  }
}
