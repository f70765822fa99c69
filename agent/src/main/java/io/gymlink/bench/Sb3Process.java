package io.gymlink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the SB3 side of the side-by-side learning benchmark for one seed: the script
 * {@code envserver-adapter/scripts/sb3_learning.py} in the benchmark venv, given gymlink's resolved config as JSON
 * (what {@code gymlink train --print-config} prints). Its progress goes to this process's stderr; its results are
 * read from {@code OUT/result.json} and {@code OUT/evaluations.csv}.
 */
public final class Sb3Process {

  /** The file of the script's result. */
  public static final String RESULT_FILE = "result.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> command;
  private final int torchThreads;

  /**
   * @param command how to run the script, e.g. {@code [.bench-venv/bin/python, .../sb3_learning.py]}
   * @param torchThreads torch.set_num_threads in the script
   */
  public Sb3Process(List<String> command, int torchThreads) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the SB3 command is empty; bin/bench-learning --sb3 sets it up");
    }
    this.command = List.copyOf(command);
    this.torchThreads = torchThreads;
  }

  /** What the script reports besides the seed's result: torch threads and library versions. */
  public record Details(SeedResult result, int torchThreads, String versions) {}

  /**
   * Trains and evaluates one seed with SB3.
   *
   * @param config gymlink's resolved config as a flat map (written to {@code out/config.json} for the script)
   * @param out the seed's output directory
   * @throws IllegalStateException naming the command and exit code when the script fails
   */
  public Details run(Map<String, Object> config, Path out) {
    launch(config, out, List.of());
    try {
      return read(out.resolve(RESULT_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the SB3 result " + out.resolve(RESULT_FILE) + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Makes the env and builds the SB3 model without training ({@code --check}), so that a missing package fails
   * the benchmark at its start rather than after hours of gymlink training.
   *
   * @throws IllegalStateException naming the command and exit code when the script fails
   */
  public void check(Map<String, Object> config, Path out) {
    launch(config, out, List.of("--check"));
  }

  private void launch(Map<String, Object> config, Path out, List<String> extraArgs) {
    List<String> argv = new ArrayList<>(command);
    try {
      Files.createDirectories(out);
      Path configFile = out.resolve("config.json");
      JSON.writerWithDefaultPrettyPrinter().writeValue(configFile.toFile(), config);
      argv.addAll(List.of("--config", configFile.toString(), "--out", out.toString(),
          "--torch-threads", Integer.toString(torchThreads)));
      argv.addAll(extraArgs);
      Process process = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.INHERIT)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      process.getOutputStream().close();
      int code = process.waitFor();
      if (code != 0) {
        throw new IllegalStateException("SB3 run '" + String.join(" ", argv) + "' exited with code " + code
            + " (its output is above)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run SB3 '" + String.join(" ", argv) + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while SB3 was running", e);
    }
  }

  /** Reads a {@code result.json} the script wrote. */
  static Details read(Path resultFile) throws IOException {
    JsonNode result = JSON.readTree(resultFile.toFile());
    JsonNode last = result.path("final");
    SeedResult seed = new SeedResult(result.path("seed").asLong(), last.path("mean").asDouble(Double.NaN),
        last.path("std").asDouble(Double.NaN), result.path("wallSeconds").asDouble(Double.NaN),
        result.path("stepsPerSecond").asDouble(Double.NaN));
    List<String> versions = new ArrayList<>();
    result.path("versions").fields().forEachRemaining(e -> versions.add(e.getKey() + " " + e.getValue().asText()));
    return new Details(seed, result.path("torchThreads").asInt(), String.join(", ", versions));
  }
}
