package io.gymlink.env.spaces;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A cartesian product of spaces, in order, like {@code gymnasium.spaces.Tuple}. */
public record TupleSpace(List<Space> spaces) implements Space {

  public TupleSpace {
    spaces = List.copyOf(spaces);
  }

  @Override
  public String check(SpaceValue value) {
    if (!(value instanceof TupleValue tuple)) {
      return "is " + BoxSpace.kind(value) + ", expected a Tuple value of " + spaces.size() + " items";
    }
    if (tuple.items().size() != spaces.size()) {
      return "has " + tuple.items().size() + " items, expected " + spaces.size();
    }
    for (int i = 0; i < spaces.size(); i++) {
      String problem = spaces.get(i).check(tuple.items().get(i));
      if (problem != null) {
        return "item " + i + " " + problem;
      }
    }
    return null;
  }

  @Override
  public TupleValue sample(Random random) {
    List<SpaceValue> items = new ArrayList<>(spaces.size());
    for (Space space : spaces) {
      items.add(space.sample(random));
    }
    return new TupleValue(items);
  }

  @Override
  public String toString() {
    return "Tuple" + spaces;
  }
}
