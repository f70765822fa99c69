package io.gymlink.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a run's learning curve as a PNG with XChart: training episode returns, their moving average, and the
 * deterministic evaluations with ± one standard deviation error bars, against environment steps.
 *
 * <p>It reads the run's CSV files, so a resumed run's plot covers the whole run. Rendering is off-screen (AWT in
 * headless mode works).
 */
public final class LearningCurvePlot {

  /** File name in the run directory. */
  public static final String FILE = "learning_curve.png";

  private static final int MOVING_AVERAGE_EPISODES = 10;

  private LearningCurvePlot() {}

  /**
   * Writes {@code runDir/learning_curve.png} from {@code runDir/metrics.csv} and {@code runDir/evaluations.csv}.
   *
   * @return the PNG's path
   * @throws IOException if the CSV files cannot be read or the PNG cannot be written
   */
  public static Path write(Path runDir, String title) throws IOException {
    XYChart chart = new XYChartBuilder()
        .width(1000)
        .height(560)
        .title(title)
        .xAxisTitle("environment step")
        .yAxisTitle("episode return")
        .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setxAxisTickLabelsFormattingFunction(StepAxisFormat::format);

    List<double[]> episodes = readColumns(runDir.resolve(MetricsWriter.METRICS_FILE), 0, 2);
    if (!episodes.isEmpty()) {
      double[] steps = column(episodes, 0);
      double[] returns = column(episodes, 1);
      XYSeries raw = chart.addSeries("training episode return", steps, returns);
      raw.setMarker(SeriesMarkers.NONE);
      raw.setLineColor(new java.awt.Color(150, 180, 220));
      XYSeries average = chart.addSeries(
          "moving average (" + MOVING_AVERAGE_EPISODES + " episodes)", steps, movingAverage(returns));
      average.setMarker(SeriesMarkers.NONE);
      average.setLineColor(new java.awt.Color(20, 70, 160));
    }
    List<double[]> evaluations = readColumns(runDir.resolve(MetricsWriter.EVALUATIONS_FILE), 0, 1, 2);
    if (!evaluations.isEmpty()) {
      XYSeries eval = chart.addSeries("deterministic evaluation (mean ± std)", column(evaluations, 0),
          column(evaluations, 1), column(evaluations, 2));
      eval.setMarker(SeriesMarkers.CIRCLE);
      eval.setLineColor(new java.awt.Color(200, 60, 30));
      eval.setMarkerColor(new java.awt.Color(200, 60, 30));
    }
    if (episodes.isEmpty() && evaluations.isEmpty()) {
      // XChart refuses an empty chart; an empty run still gets a plot that says so.
      chart.addSeries("no episodes finished yet", new double[] {0}, new double[] {0});
    }
    Path png = runDir.resolve(FILE);
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    return png;
  }

  private static double[] movingAverage(double[] values) {
    double[] out = new double[values.length];
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += values[i];
      if (i >= MOVING_AVERAGE_EPISODES) {
        sum -= values[i - MOVING_AVERAGE_EPISODES];
      }
      out[i] = sum / Math.min(i + 1, MOVING_AVERAGE_EPISODES);
    }
    return out;
  }

  private static List<double[]> readColumns(Path csv, int... columns) throws IOException {
    List<double[]> rows = new ArrayList<>();
    if (!Files.exists(csv)) {
      return rows;
    }
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] fields = line.split(",", -1);
      double[] row = new double[columns.length];
      for (int i = 0; i < columns.length; i++) {
        row[i] = fields[columns[i]].isEmpty() ? Double.NaN : Double.parseDouble(fields[columns[i]]);
      }
      rows.add(row);
    }
    return rows;
  }

  private static double[] column(List<double[]> rows, int index) {
    return rows.stream().mapToDouble(row -> row[index]).toArray();
  }
}
