package io.gymlink.cli;

import io.gymlink.train.ComparisonPlot;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gymlink plot}: the learning curves of several runs (seeds) in one PNG, mean ± std across the runs of each
 * group, read from each run directory's {@code evaluations.csv} (as rl-baselines3-zoo's {@code plot_train} does
 * for its logs).
 */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    versionProvider = GymlinkVersion.class,
    sortOptions = false,
    description = "Plots the deterministic evaluations of several runs (seeds) as one learning curve per group:"
        + " the mean over the group's runs at each evaluation step, ± one standard deviation across them. Reads"
        + " RUN_DIR/evaluations.csv, written by gymlink train and by bin/bench-learning (both sides).",
    footer = {"%nExamples:%n"
        + "  gymlink plot runs/llc-s0 runs/llc-s1 runs/llc-s2 --out llc.png%n"
        + "  gymlink plot 'DDPG=runs/ddpg-s0,runs/ddpg-s1' 'TD3=runs/td3-s0,runs/td3-s1' --title LunarLander",
        "%nExit codes: 0 ok, 2 usage error (bad flag, or a directory without evaluations)."})
public final class PlotCommand implements Callable<Integer> {

  private static final List<Color> PALETTE = List.of(new Color(200, 60, 30), new Color(20, 70, 160),
      new Color(40, 140, 60), new Color(130, 60, 160), new Color(200, 140, 20), new Color(90, 90, 90));

  @Spec
  private CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "[LABEL=]RUN_DIR[,RUN_DIR...]",
      description = "Run directories. Plain directories form one group (labelled by --label); LABEL=DIR,DIR,..."
          + " makes a group of its own.")
  List<String> groups;

  @Option(names = "--out", defaultValue = "learning_curves.png", paramLabel = "FILE",
      description = "PNG to write (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--title", paramLabel = "TEXT",
      description = "Chart title (default: the groups' labels).")
  String title;

  @Option(names = "--label", defaultValue = "runs", paramLabel = "TEXT",
      description = "Legend label of the plain directories' group (default: ${DEFAULT-VALUE}).")
  String label;

  @Override
  public Integer call() {
    List<String> labels = new ArrayList<>();
    List<List<Path>> runs = new ArrayList<>();
    List<Path> plain = new ArrayList<>();
    for (String group : groups) {
      int eq = group.indexOf('=');
      if (eq > 0) {
        labels.add(group.substring(0, eq));
        runs.add(runFiles(group.substring(eq + 1)));
      } else {
        plain.addAll(runFiles(group));
      }
    }
    if (!plain.isEmpty()) {
      labels.add(0, label);
      runs.add(0, plain);
    }
    List<ComparisonPlot.Side> sides = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      sides.add(new ComparisonPlot.Side(labels.get(i), PALETTE.get(i % PALETTE.size()), runs.get(i)));
    }
    String chartTitle = title != null ? title : "evaluation return: " + String.join(" vs ", labels);
    try {
      ComparisonPlot.write(out, chartTitle, sides);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + out, e);
    }
    PrintWriter printer = spec.commandLine().getOut();
    for (ComparisonPlot.Side side : sides) {
      printer.println(side.label() + ": " + side.evaluationFiles().size() + " run(s)");
    }
    printer.println("wrote " + out);
    printer.flush();
    return 0;
  }

  /** The evaluations files of a comma-separated list of run directories, each checked to hold evaluations. */
  private List<Path> runFiles(String dirs) {
    List<Path> files = new ArrayList<>();
    for (String dir : dirs.split(",")) {
      if (dir.isBlank()) {
        throw new ParameterException(spec.commandLine(), "empty run directory in '" + dirs + "'");
      }
      Path csv = Path.of(dir).resolve("evaluations.csv");
      if (!hasRows(csv)) {
        throw new ParameterException(spec.commandLine(), "run directory '" + dir + "': expected an"
            + " evaluations.csv with at least one evaluation (written by gymlink train every evalFreq steps),"
            + (Files.exists(csv) ? " found one without rows" : " found none"));
      }
      files.add(csv);
    }
    return files;
  }

  private static boolean hasRows(Path csv) {
    try (var lines = Files.lines(csv)) {
      return lines.skip(1).anyMatch(line -> !line.isBlank());
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }
}
