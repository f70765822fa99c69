package io.gymlink.nn;

/**
 * A range of input columns, e.g. the action part of a critic's (observation, action) input, for
 * {@link Network#inputGradient}.
 *
 * @param from first column
 * @param count number of columns
 */
public record Columns(int from, int count) {

  public Columns {
    if (from < 0 || count < 1) {
      throw new IllegalArgumentException("columns need from >= 0 and count >= 1, got from " + from + ", count "
          + count);
    }
  }

  @Override
  public String toString() {
    return "[" + from + ", " + (from + count) + ")";
  }
}
