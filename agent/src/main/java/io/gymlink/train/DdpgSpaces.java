package io.gymlink.train;

import io.gymlink.env.UnsupportedSpaceException;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.Space;

/** Checks that an environment's spaces are ones DDPG can use, with errors that name the env and its space. */
public final class DdpgSpaces {

  private DdpgSpaces() {}

  /** The action space as a bounded Box, or an {@link UnsupportedSpaceException} naming the env and its space. */
  public static BoxSpace requireBoundedBoxActions(String envId, Space space) {
    if (!(space instanceof BoxSpace box)) {
      throw new UnsupportedSpaceException("DDPG needs a Box action space, but '" + envId + "' has " + space);
    }
    if (!box.isBounded()) {
      throw new UnsupportedSpaceException(
          "DDPG needs a bounded Box action space, but '" + envId + "' has " + space + " with infinite bounds");
    }
    return box;
  }

  /** The observation space as a Box, or an {@link UnsupportedSpaceException} naming the env and its space. */
  public static BoxSpace requireBoxObservations(String envId, Space space) {
    if (!(space instanceof BoxSpace box)) {
      throw new UnsupportedSpaceException(
          "DDPG needs a Box observation space, but '" + envId + "' has " + space);
    }
    return box;
  }
}
