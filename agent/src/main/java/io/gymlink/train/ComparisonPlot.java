package io.gymlink.train;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the learning curves of several runs as one small PNG: for each side (gymlink and SB3 in {@code
 * bin/bench-learning --sb3}, or the groups of {@code gymlink plot}), the mean over seeds of the deterministic
 * evaluations at each step, with ± one standard deviation across seeds. It reads the {@code evaluations.csv} of
 * every seed's run (the same columns on both sides).
 */
public final class ComparisonPlot {

  private ComparisonPlot() {}

  /** One curve: its legend label, colour, and the seeds' {@code evaluations.csv} files. */
  public record Side(String label, Color color, List<Path> evaluationFiles) {}

  /**
   * Writes the PNG.
   *
   * @param png the file to write (its directory is created)
   * @param title e.g. "LunarLanderContinuous-v3, DDPG, 100000 steps, seeds 0,1,2"
   * @param sides the curves; a side without any evaluation row is left out, and a side's curve covers the steps at
   *     which every run with evaluations has one
   * @return {@code png}
   * @throws IOException if a CSV cannot be read or the PNG cannot be written
   */
  public static Path write(Path png, String title, List<Side> sides) throws IOException {
    XYChart chart = new XYChartBuilder().width(800).height(450).title(title)
        .xAxisTitle("environment step").yAxisTitle("evaluation return (mean over seeds)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setxAxisTickLabelsFormattingFunction(StepAxisFormat::format);
    boolean any = false;
    for (Side side : sides) {
      TreeMap<Long, List<Double>> byStep = new TreeMap<>();
      int runs = 0;
      for (Path file : side.evaluationFiles()) {
        Map<Long, Double> means = readMeans(file);
        runs += means.isEmpty() ? 0 : 1;
        means.forEach((step, mean) -> byStep.computeIfAbsent(step, s -> new ArrayList<>()).add(mean));
      }
      // Only the steps every run reached: a mean over fewer seeds at the tail of a longer run would mislead.
      int seeds = runs;
      byStep.values().removeIf(values -> values.size() < seeds);
      if (byStep.isEmpty()) {
        continue;
      }
      double[] steps = byStep.keySet().stream().mapToDouble(Long::doubleValue).toArray();
      double[] means = byStep.values().stream().mapToDouble(ComparisonPlot::mean).toArray();
      double[] stds = byStep.values().stream().mapToDouble(ComparisonPlot::std).toArray();
      XYSeries series = chart.addSeries(side.label() + " (" + seeds + (seeds == 1 ? " seed)" : " seeds, ± std)"),
          steps, means, stds);
      series.setMarker(SeriesMarkers.CIRCLE);
      series.setLineColor(side.color());
      series.setMarkerColor(side.color());
      any = true;
    }
    if (!any) {
      chart.addSeries("no evaluations", new double[] {0}, new double[] {0});
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    return png;
  }

  /** Step -> mean return of one run's {@code evaluations.csv} (columns step, mean_return, ...). */
  static Map<Long, Double> readMeans(Path csv) throws IOException {
    Map<Long, Double> means = new TreeMap<>();
    if (!Files.exists(csv)) {
      return means;
    }
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] fields = line.split(",", -1);
      if (fields.length >= 2 && !line.isBlank()) {
        means.put(Long.parseLong(fields[0].trim()), Double.parseDouble(fields[1].trim()));
      }
    }
    return means;
  }

  static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Population standard deviation, as the rest of the benchmark reports it. */
  static double std(List<Double> values) {
    double mean = mean(values);
    return Math.sqrt(values.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElse(Double.NaN));
  }
}
