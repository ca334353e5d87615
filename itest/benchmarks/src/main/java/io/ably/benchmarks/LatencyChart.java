package io.ably.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Draws the latency percentile curves, one panel per offered rate and payload size, one curve per
 * client, with java.awt in headless mode. The x axis is the percentile on the usual "nines" scale
 * (0, 90, 99, 99.9, 99.99 %: evenly spaced), the y axis the latency in µs on a log scale.
 */
final class LatencyChart {
  static final int WIDTH = 1400;
  static final int HEIGHT = 1000;
  private static final int COLUMNS = 2;
  /** Furthest percentile drawn, in nines (4 = 99.99 %). */
  private static final double MAX_NINES = 4;
  private static final Map<String, Color> COLORS =
      Map.of(
          "ours-default", new Color(0x1f77b4),
          "ours-inline", new Color(0x2ca02c),
          "ably-java", new Color(0xd62728),
          "floor", new Color(0x555555));

  private LatencyChart() {}

  /** The colour of a subject's curve. */
  static Color color(String subject) {
    return COLORS.getOrDefault(subject, new Color(0x9467bd));
  }

  /**
   * Writes the chart.
   *
   * @param rows the latency results
   * @param png the file to write
   * @throws IOException if it cannot be written
   */
  static void write(List<Results.Latency> rows, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    ImageIO.write(render(rows), "png", png.toFile());
  }

  /** Renders the chart. */
  static BufferedImage render(List<Results.Latency> rows) {
    Map<String, List<Results.Latency>> panels = new LinkedHashMap<>();
    for (Results.Latency r : rows) {
      String title =
          String.format(Locale.ROOT, "%,d msg/s, %,d B payload", r.rate(), r.payloadBytes());
      panels.computeIfAbsent(title, k -> new ArrayList<>()).add(r);
    }
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
      g.drawString("Publish → receive latency by percentile (from the intended send time)", 20, 28);
      int rowsOfPanels = Math.max(1, (panels.size() + COLUMNS - 1) / COLUMNS);
      int panelWidth = WIDTH / COLUMNS;
      int panelHeight = (HEIGHT - 40) / rowsOfPanels;
      int index = 0;
      for (Map.Entry<String, List<Results.Latency>> e : panels.entrySet()) {
        int x = (index % COLUMNS) * panelWidth;
        int y = 40 + (index / COLUMNS) * panelHeight;
        panel(g, e.getKey(), e.getValue(), x, y, panelWidth, panelHeight);
        index++;
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** A latency in µs as a short label: 500 µs, 2 ms, 1 s. */
  static String duration(double micros) {
    if (micros < 1_000) {
      return String.format(Locale.ROOT, "%.0f µs", micros);
    }
    if (micros < 1_000_000) {
      return String.format(Locale.ROOT, "%.0f ms", micros / 1_000);
    }
    return String.format(Locale.ROOT, "%.0f s", micros / 1_000_000);
  }

  private static void panel(
      Graphics2D g, String title, List<Results.Latency> curves, int x0, int y0, int w, int h) {
    int left = x0 + 90;
    int right = x0 + w - 30;
    int top = y0 + 40;
    int bottom = y0 + h - 60;
    double minLog = Double.MAX_VALUE;
    double maxLog = -Double.MAX_VALUE;
    for (Results.Latency r : curves) {
      Histogram hist = r.histogram();
      if (hist.getTotalCount() > 0) {
        minLog = Math.min(minLog, Math.log10(Math.max(1, hist.getMinNonZeroValue() / 1000.0)));
        maxLog = Math.max(maxLog, Math.log10(Math.max(1, hist.getMaxValue() / 1000.0)));
      }
    }
    if (minLog > maxLog) {
      minLog = 0;
      maxLog = 3;
    }
    minLog = Math.floor(minLog);
    maxLog = Math.max(minLog + 1, Math.ceil(maxLog));
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.setColor(Color.BLACK);
    g.drawString(title, left, y0 + 25);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    // Grid and axes.
    g.setStroke(new BasicStroke(1f));
    for (int n = 0; n <= MAX_NINES; n++) {
      int gx = left + (int) Math.round((right - left) * n / MAX_NINES);
      g.setColor(new Color(0xdddddd));
      g.drawLine(gx, top, gx, bottom);
      g.setColor(Color.DARK_GRAY);
      String label = n == 0 ? "0%" : (100 - 100 / Math.pow(10, n)) + "%";
      label = label.replace(".0%", "%");
      g.drawString(label, gx - g.getFontMetrics().stringWidth(label) / 2, bottom + 18);
    }
    boolean fewDecades = maxLog - minLog <= 2;
    for (double d = minLog; d <= maxLog + 1e-9; d++) {
      for (int m : fewDecades ? new int[] {1, 2, 5} : new int[] {1}) {
        double value = Math.log10(m) + d;
        if (value > maxLog + 1e-9) {
          break;
        }
        int gy = bottom - (int) Math.round((bottom - top) * (value - minLog) / (maxLog - minLog));
        g.setColor(m == 1 ? new Color(0xdddddd) : new Color(0xf0f0f0));
        g.drawLine(left, gy, right, gy);
        g.setColor(Color.DARK_GRAY);
        String label = duration(Math.pow(10, value));
        g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), gy + 4);
      }
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, right - left, bottom - top);
    g.drawString("percentile", (left + right) / 2 - 25, bottom + 36);
    // Curves.
    int legendY = top + 18;
    for (Results.Latency r : curves) {
      Histogram hist = r.histogram();
      Color color = color(r.subject());
      g.setColor(color);
      g.setStroke(new BasicStroke(2.2f));
      if (hist.getTotalCount() > 0) {
        Path2D.Double path = new Path2D.Double();
        boolean first = true;
        for (HistogramIterationValue v : hist.percentiles(5)) {
          double p = v.getPercentileLevelIteratedTo();
          if (p >= 100) {
            break;
          }
          double nines = Math.min(MAX_NINES, Math.log10(100.0 / (100.0 - p)));
          double micros = Math.max(1, hist.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0);
          double px = left + (right - left) * nines / MAX_NINES;
          double py =
              bottom - (bottom - top) * (Math.log10(micros) - minLog) / (maxLog - minLog);
          if (first) {
            path.moveTo(px, py);
            first = false;
          } else {
            path.lineTo(px, py);
          }
          if (nines >= MAX_NINES) {
            break;
          }
        }
        g.draw(path);
      }
      g.fillRect(left + 12, legendY - 9, 18, 4);
      g.setColor(Color.BLACK);
      String legend = r.title() + (r.lost() > 0 ? String.format(Locale.ROOT, " (%,d lost)", r.lost()) : "");
      g.drawString(legend, left + 36, legendY - 3);
      legendY += 18;
    }
  }
}
