package io.gymlink.env.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tuple and Dict. */
class CompositeSpacesTest {

  private static final TupleSpace PAIR = new TupleSpace(List.of(new DiscreteSpace(2, 0), BoxSpace.of(1, 0, 1)));
  private static final DictSpace DICT = new DictSpace(orderedMap("b", BoxSpace.of(2, -1, 1), "a",
      new DiscreteSpace(3, 0)));

  @Test
  void tuple_check_valid_returnsNull() {
    assertNull(PAIR.check(new TupleValue(List.of(new DiscreteValue(1), BoxValue.of(0.5f)))));
  }

  @Test
  void tuple_check_badItem_namesItem() {
    assertEquals("item 1 has 2.0 at index 0, above the upper bound 1.0",
        PAIR.check(new TupleValue(List.of(new DiscreteValue(1), BoxValue.of(2f)))));
  }

  @Test
  void tuple_check_wrongArity_namesCounts() {
    assertEquals("has 1 items, expected 2", PAIR.check(new TupleValue(List.of(new DiscreteValue(1)))));
    assertEquals("is a Discrete value, expected a Tuple value of 2 items", PAIR.check(new DiscreteValue(1)));
  }

  @Test
  void dict_check_badEntry_namesKey() {
    Map<String, SpaceValue> entries = orderedMap("a", new DiscreteValue(5), "b", BoxValue.of(0f, 0f));
    assertEquals("entry 'a' is 5, expected an integer in [0, 2]", DICT.check(new DictValue(entries)));
  }

  @Test
  void dict_check_keysInOtherOrder_accepts() {
    Map<String, SpaceValue> entries = orderedMap("a", new DiscreteValue(1), "b", BoxValue.of(0f, 0f));
    assertTrue(DICT.contains(new DictValue(entries)));
  }

  @Test
  void dict_check_missingKey_namesKeys() {
    assertEquals("has keys [a], expected [b, a]", DICT.check(new DictValue(Map.of("a", new DiscreteValue(1)))));
  }

  @Test
  void sample_nested_isContainedAndKeepsKeyOrder() {
    TupleSpace nested = new TupleSpace(List.of(DICT, PAIR, new MultiBinarySpace(new int[] {4})));
    Random random = new Random(0);
    for (int i = 0; i < 100; i++) {
      TupleValue v = nested.sample(random);
      assertNull(nested.check(v));
      assertEquals(List.of("b", "a"), List.copyOf(((DictValue) v.items().get(0)).entries().keySet()));
    }
  }

  @Test
  void equals_sameStructure_equal() {
    assertEquals(new DictSpace(orderedMap("b", BoxSpace.of(2, -1, 1), "a", new DiscreteSpace(3, 0))), DICT);
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> orderedMap(String k1, Object v1, String k2, Object v2) {
    Map<String, V> map = new LinkedHashMap<>();
    map.put(k1, (V) v1);
    map.put(k2, (V) v2);
    return map;
  }
}
