package io.gymlink.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Whether checkpoints include the replay buffer: {@code auto} (the default) when a full buffer fits in
 * {@link #AUTO_LIMIT_BYTES}, {@code true} always, {@code false} never. Without it a resumed run refills the buffer
 * before updating again.
 */
public enum ReplayBufferSaving {
  AUTO,
  ALWAYS,
  NEVER;

  /** The largest buffer (at capacity) that {@code auto} saves: 1 GiB. */
  public static final long AUTO_LIMIT_BYTES = 1L << 30;

  /** Whether to save a buffer that holds {@code bytesAtCapacity} bytes when full. */
  public boolean saves(long bytesAtCapacity) {
    return this == ALWAYS || this == AUTO && bytesAtCapacity <= AUTO_LIMIT_BYTES;
  }

  /** Reads {@code true}, {@code false} or {@code "auto"} (the config file's spellings). */
  @JsonCreator
  public static ReplayBufferSaving of(Object value) {
    if (value instanceof Boolean b) {
      return b ? ALWAYS : NEVER;
    }
    String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    return switch (text) {
      case "auto" -> AUTO;
      case "true" -> ALWAYS;
      case "false" -> NEVER;
      default -> throw new IllegalArgumentException(
          "saveReplayBuffer must be true, false or auto, got \"" + value + "\"");
    };
  }

  /** Written back as the config file spells it. */
  @JsonValue
  public Object toJson() {
    return this == AUTO ? "auto" : this == ALWAYS;
  }
}
