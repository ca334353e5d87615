package io.ably.benchmarks;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the client's own limits measured against the {@link Blaster} as four bar panels, one bar
 * per client in the latency chart's colours: messages received per second and acknowledged
 * publishes per second (higher is better), CPU ns per message received and per publish (lower is
 * better). Java.awt in headless mode.
 */
final class ThroughputChart {
  static final int WIDTH = 1400;
  static final int HEIGHT = 800;

  private ThroughputChart() {}

  /**
   * Writes the chart.
   *
   * @param rows the blaster results
   * @param png the file to write
   * @throws IOException if it cannot be written
   */
  static void write(List<Results.Blast> rows, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    ImageIO.write(render(rows), "png", png.toFile());
  }

  /** Renders the chart. */
  static BufferedImage render(List<Results.Blast> rows) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
      g.drawString("The client's own limits, against a blaster in its own process (100-byte payloads)", 20, 28);
      int pw = WIDTH / 2;
      int ph = (HEIGHT - 40) / 2;
      panel(g, rows, Results.Blast::receivedPerSecond, "messages received / s (higher is better)", 0, 40, pw, ph);
      panel(g, rows, Results.Blast::ackedPerSecond, "acknowledged publishes / s (higher is better)", pw, 40, pw, ph);
      panel(g, rows, Results.Blast::receiveCpuNanos, "CPU ns / message received (lower is better)", 0, 40 + ph, pw, ph);
      panel(g, rows, Results.Blast::publishCpuNanos, "CPU ns / publish (lower is better)", pw, 40 + ph, pw, ph);
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void panel(
      Graphics2D g, List<Results.Blast> rows, ToDoubleFunction<Results.Blast> figure, String title,
      int x, int y, int w, int h) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, x + 20, y + 24);
    double max = rows.stream().mapToDouble(figure).max().orElse(0);
    int labelWidth = 260;
    int left = x + 20 + labelWidth;
    int barSpace = w - labelWidth - 140;
    int top = y + 40;
    int slot = rows.isEmpty() ? 0 : Math.min(60, (h - 60) / rows.size());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    for (int i = 0; i < rows.size(); i++) {
      Results.Blast r = rows.get(i);
      double v = figure.applyAsDouble(r);
      int by = top + i * slot;
      g.setColor(Color.BLACK);
      g.drawString(r.title(), x + 20, by + slot / 2 + 5);
      int len = max > 0 && v > 0 ? (int) Math.max(2, Math.round(barSpace * v / max)) : 0;
      g.setColor(LatencyChart.color(r.subject()));
      g.fillRect(left, by + slot / 6, len, slot * 2 / 3);
      g.setColor(Color.BLACK);
      g.drawString(v > 0 ? String.format(Locale.ROOT, "%,.0f", v) : "–", left + len + 8, by + slot / 2 + 5);
    }
  }
}
