package io.gymlink.env.spaces;

import java.util.List;

/** An element of a {@link TupleSpace}: one item per subspace, in order. */
public record TupleValue(List<SpaceValue> items) implements SpaceValue {

  public TupleValue {
    items = List.copyOf(items);
  }
}
