package io.bucketmap.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws one run's growth timelines ({@link GrowthTimeline} files written by {@link GrowthLatency}) as a PNG: the
 * slowest put of each window against the entries inserted so far, one line per contender, on a log latency axis so
 * that a baseline of a few µs and a rehash of tens of ms fit one picture.
 *
 * <p>Two panels share both axes. On top, thread CPU time: the put's own work, which is what the store's design
 * decides (a {@code HashMap} rehash shows as a spike at each doubling, the bucket map's incremental growth as a flat
 * line), and which busy neighbours on a shared machine do not inflate. Below, wall-clock time: what the stream thread
 * waits, GC pauses and time given to other processes included, with each GC pause marked at the window it ended in,
 * so a wall spike can be told apart from the store's own work.
 *
 * <p>JDK only (AWT, headless). Usage: {@code java -Djava.awt.headless=true ... GrowthChart <run directory> <chart.png>};
 * draws every contender that has a timeline file in the directory.
 */
public final class GrowthChart {
    static final int WIDTH = 1200;
    static final int HEIGHT = 900;
    private static final int LEFT = 110;
    private static final int RIGHT = 30;
    private static final int PANEL_HEIGHT = 300;
    private static final int TOP_PANEL_Y = 105;
    private static final int BOTTOM_PANEL_Y = 490;
    private static final int LEGEND_Y = 850;
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 19);
    private static final Font TEXT_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    /**
     * The contenders drawn, with their colours. The bucket map appears once per variant: as the Kafka store when
     * that was measured (what a topology gets), else as the core map; more lines would hide each other.
     */
    private static final Map<Contender, Color> COLOURS = new EnumMap<>(Map.of(
            Contender.BUCKETMAP_STORE_ORDERED, new Color(0x1f5fbf),
            Contender.BUCKETMAP_STORE_HASH, new Color(0x2a9d3a),
            Contender.BUCKETMAP_ORDERED, new Color(0x1f5fbf),
            Contender.BUCKETMAP_HASH, new Color(0x2a9d3a),
            Contender.HASHMAP, new Color(0xd62728),
            Contender.IN_MEMORY_STORE, new Color(0xf08c00),
            Contender.ROCKSDB_STORE, new Color(0x8c56b0)));
    private static final Map<Contender, Contender> CORE_MAP_OF_STORE = Map.of(
            Contender.BUCKETMAP_STORE_ORDERED, Contender.BUCKETMAP_ORDERED,
            Contender.BUCKETMAP_STORE_HASH, Contender.BUCKETMAP_HASH);

    /** One contender's timeline: per window, the entries at its end, its slowest put, its longest GC pause. */
    record Series(Contender contender, long[] entries, long[] cpuNanos, long[] wallNanos, long[] gcMillis) {
        long maxEntries() {
            return entries[entries.length - 1];
        }

        static long max(long[] values) {
            long max = 0;
            for (long value : values) {
                max = Math.max(max, value);
            }
            return max;
        }
    }

    private GrowthChart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: GrowthChart <run directory> <chart.png>");
        }
        write(Path.of(args[0]), Path.of(args[1]));
    }

    /**
     * Reads the timelines in {@code runDir} and writes the chart to {@code png}, replacing it.
     *
     * @throws IllegalArgumentException if the directory holds no timeline, or an empty one
     */
    static void write(Path runDir, Path png) throws IOException {
        List<Series> series = read(runDir);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no growth timeline (growth-timeline-<contender>.csv) in " + runDir);
        }
        if (!ImageIO.write(draw(series), "png", png.toFile())) {
            throw new IllegalStateException("this JDK has no PNG writer");
        }
    }

    private static List<Series> read(Path runDir) {
        List<Series> series = new ArrayList<>();
        for (Contender contender : Contender.values()) {
            Path file = GrowthTimeline.fileFor(runDir, contender);
            boolean storeMeasured = CORE_MAP_OF_STORE.entrySet().stream().anyMatch(storeOfCore ->
                    storeOfCore.getValue() == contender
                            && Files.exists(GrowthTimeline.fileFor(runDir, storeOfCore.getKey())));
            if (Files.exists(file) && !storeMeasured) {
                List<Map<String, String>> rows = CsvFile.read(file);
                if (rows.isEmpty()) {
                    throw new IllegalArgumentException("empty timeline: " + file);
                }
                series.add(new Series(contender, column(rows, "entries"), column(rows, "cpu_max_ns"),
                        column(rows, "wall_max_ns"), column(rows, "gc_longest_ms")));
            }
        }
        return series;
    }

    private static long[] column(List<Map<String, String>> rows, String name) {
        return rows.stream().mapToLong(row -> Long.parseLong(row.get(name))).toArray();
    }

    private static BufferedImage draw(List<Series> series) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        long maxEntries = series.stream().mapToLong(Series::maxEntries).max().orElseThrow();
        long windowSize = series.get(0).entries()[0];
        g.setColor(Color.BLACK);
        g.setFont(TITLE_FONT);
        g.drawString(String.format(Locale.ROOT, "Slowest put in each window of %,d puts, growing from empty to %,d entries", windowSize, maxEntries), LEFT, 34);
        g.setFont(TEXT_FONT);
        g.drawString("Latency on a log scale. One put per event id, keys like risk-event-0000123456, values of 64 to "
                + "256 bytes, each contender in its own JVM (GrowthLatency).", LEFT, 58);

        int lowDecade = lowDecade(series);
        int highDecade = highDecade(series);
        Rectangle top = new Rectangle(LEFT, TOP_PANEL_Y, WIDTH - LEFT - RIGHT, PANEL_HEIGHT);
        Rectangle bottom = new Rectangle(LEFT, BOTTOM_PANEL_Y, WIDTH - LEFT - RIGHT, PANEL_HEIGHT);
        LatencyPanel cpu = new LatencyPanel(top, maxEntries, lowDecade, highDecade);
        LatencyPanel wall = new LatencyPanel(bottom, maxEntries, lowDecade, highDecade);
        cpu.drawAxes(g, "Thread CPU time of the put: its own work (GC threads and other processes excluded)",
                "entries in the store", "slowest put (CPU)");
        wall.drawAxes(g, "Wall-clock time of the put: what the stream thread waits (GC pauses and other processes "
                + "included); rings: GC pauses", "entries in the store", "slowest put (wall)");
        // Reverse order: the bucket maps, first in the enum, are drawn last, on top of the lines they are compared to.
        List<Series> drawOrder = new ArrayList<>(series);
        Collections.reverse(drawOrder);
        for (Series one : drawOrder) {
            Color colour = COLOURS.get(one.contender());
            cpu.drawLine(g, one.entries(), one.cpuNanos(), colour);
            wall.drawLine(g, one.entries(), one.wallNanos(), colour);
        }
        for (Series one : drawOrder) {
            long[] gcNanos = Arrays.stream(one.gcMillis()).map(millis -> millis * 1_000_000).toArray();
            wall.drawMarkers(g, one.entries(), gcNanos, COLOURS.get(one.contender()));
        }
        drawLegend(g, series);
        g.dispose();
        return image;
    }

    /** The decade at or below the fastest window's slowest put; 100 ns at the least. */
    private static int lowDecade(List<Series> series) {
        long min = Long.MAX_VALUE;
        for (Series one : series) {
            for (long[] values : List.of(one.cpuNanos(), one.wallNanos())) {
                for (long value : values) {
                    min = Math.min(min, Math.max(value, 100));
                }
            }
        }
        return (int) Math.floor(Math.log10(min));
    }

    /** The decade at or above the slowest put and the longest GC pause, above {@link #lowDecade}. */
    private static int highDecade(List<Series> series) {
        long max = 1;
        for (Series one : series) {
            max = Math.max(max, Math.max(Series.max(one.cpuNanos()), Series.max(one.wallNanos())));
            max = Math.max(max, Series.max(one.gcMillis()) * 1_000_000);
        }
        return Math.max(lowDecade(series) + 1, (int) Math.ceil(Math.log10(max)));
    }

    /** A line sample and the contender's worst put per series, wrapped into rows, then the GC marker. */
    private static void drawLegend(Graphics2D g, List<Series> series) {
        FontMetrics metrics = g.getFontMetrics();
        int x = LEFT;
        int y = LEGEND_Y;
        List<String> labels = new ArrayList<>();
        for (Series one : series) {
            labels.add(String.format(Locale.ROOT, "%s: worst %s CPU, %s wall", one.contender().label(),
                    duration(Series.max(one.cpuNanos())), duration(Series.max(one.wallNanos()))));
        }
        labels.add("GC pause ending in the window");
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            int width = 30 + metrics.stringWidth(label) + 28;
            if (x + width > WIDTH - RIGHT) {
                x = LEFT;
                y += metrics.getHeight() + 6;
            }
            int middle = y - metrics.getAscent() / 2 + 1;
            if (i < series.size()) {
                g.setColor(COLOURS.get(series.get(i).contender()));
                g.setStroke(new BasicStroke(3));
                g.drawLine(x, middle, x + 22, middle);
            } else {
                LatencyPanel.drawMarker(g, x + 11, middle, Color.GRAY);
            }
            g.setColor(Color.BLACK);
            g.drawString(label, x + 30, y);
            x += width;
        }
    }

    /** "850 ns", "172.9 µs", "49.2 ms". */
    static String duration(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        return nanos < 1_000_000 ? String.format(Locale.ROOT, "%.1f µs", nanos / 1e3)
                : String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
