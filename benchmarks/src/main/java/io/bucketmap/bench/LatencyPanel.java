package io.bucketmap.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.util.Locale;

/**
 * One panel of {@link GrowthChart}: entries on a linear x axis from 0, latency on a log y axis spanning whole decades,
 * drawn into a rectangle of the image. Gridlines at every decade (labelled) and at 2..9 times it (faint), and at
 * round entry counts. Values outside the y range are drawn at its edge, so nothing silently disappears.
 */
final class LatencyPanel {
    private static final Color FRAME = new Color(0x444444);
    private static final Color GRID = new Color(0xd8d8d8);
    private static final Color MINOR_GRID = new Color(0xefefef);
    private static final int TICK = 5;
    private static final double MARKER_DIAMETER = 9;

    private final Rectangle area;
    private final long maxEntries;
    private final int lowDecade;
    private final int highDecade;

    /**
     * A panel for 0..{@code maxEntries} entries and latencies from {@code 10^lowDecade} to {@code 10^highDecade} ns.
     *
     * @throws IllegalArgumentException if {@code maxEntries < 1} or the decades are not increasing
     */
    LatencyPanel(Rectangle area, long maxEntries, int lowDecade, int highDecade) {
        if (maxEntries < 1 || highDecade <= lowDecade) {
            throw new IllegalArgumentException("empty range: entries " + maxEntries
                    + ", decades " + lowDecade + ".." + highDecade);
        }
        this.area = new Rectangle(area);
        this.maxEntries = maxEntries;
        this.lowDecade = lowDecade;
        this.highDecade = highDecade;
    }

    /** Grid, frame, tick labels, a heading above the panel and the axis titles. */
    void drawAxes(Graphics2D g, String heading, String xTitle, String yTitle) {
        g.setStroke(new BasicStroke(1));
        FontMetrics metrics = g.getFontMetrics();
        for (int decade = lowDecade; decade <= highDecade; decade++) {
            for (int multiple = 2; multiple <= 9 && decade < highDecade; multiple++) {
                g.setColor(MINOR_GRID);
                int y = yOf(multiple * Math.pow(10, decade));
                g.drawLine(area.x, y, area.x + area.width, y);
            }
            int y = yOf(Math.pow(10, decade));
            g.setColor(GRID);
            g.drawLine(area.x, y, area.x + area.width, y);
            g.setColor(FRAME);
            g.drawLine(area.x - TICK, y, area.x, y);
            String label = nanosLabel(decade);
            g.drawString(label, area.x - TICK - 4 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
        }
        long step = entriesStep(maxEntries);
        for (long entries = 0; entries <= maxEntries; entries += step) {
            int x = xOf(entries);
            g.setColor(GRID);
            g.drawLine(x, area.y, x, area.y + area.height);
            g.setColor(FRAME);
            g.drawLine(x, area.y + area.height, x, area.y + area.height + TICK);
            String label = entriesLabel(entries);
            g.drawString(label, x - metrics.stringWidth(label) / 2, area.y + area.height + TICK + metrics.getAscent());
        }
        g.setColor(FRAME);
        g.draw(area);
        g.drawString(heading, area.x, area.y - metrics.getDescent() - 4);
        g.drawString(xTitle, area.x + (area.width - metrics.stringWidth(xTitle)) / 2,
                area.y + area.height + TICK + 2 * metrics.getHeight());
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.translate(area.x - 62, area.y + (area.height + metrics.stringWidth(yTitle)) / 2);
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yTitle, 0, 0);
        rotated.dispose();
    }

    /** A line through ({@code entries[i]}, {@code nanos[i]}), clipped to the panel. */
    void drawLine(Graphics2D g, long[] entries, long[] nanos, Color colour) {
        Path2D.Double line = new Path2D.Double();
        for (int i = 0; i < entries.length; i++) {
            double x = xOf(entries[i]);
            double y = yOf(nanos[i]);
            if (i == 0) {
                line.moveTo(x, y);
            } else {
                line.lineTo(x, y);
            }
        }
        Graphics2D clipped = (Graphics2D) g.create();
        clipped.clip(area);
        clipped.setColor(colour);
        clipped.setStroke(new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        clipped.draw(line);
        clipped.dispose();
    }

    /** A ring marker at ({@code entries[i]}, {@code nanos[i]}) for each positive {@code nanos[i]}. */
    void drawMarkers(Graphics2D g, long[] entries, long[] nanos, Color colour) {
        for (int i = 0; i < entries.length; i++) {
            if (nanos[i] > 0) {
                drawMarker(g, xOf(entries[i]), yOf(nanos[i]), colour);
            }
        }
    }

    /** The marker {@link #drawMarkers} draws, centred on ({@code x}, {@code y}): also for legends. */
    static void drawMarker(Graphics2D g, double x, double y, Color colour) {
        Shape ring = new Ellipse2D.Double(x - MARKER_DIAMETER / 2, y - MARKER_DIAMETER / 2,
                MARKER_DIAMETER, MARKER_DIAMETER);
        g.setColor(Color.WHITE);
        g.fill(ring);
        g.setColor(colour);
        g.setStroke(new BasicStroke(2));
        g.draw(ring);
    }

    private int xOf(long entries) {
        return area.x + (int) Math.round((double) entries / maxEntries * area.width);
    }

    private int yOf(double nanos) {
        double decades = Math.log10(Math.max(nanos, 1)) - lowDecade;
        double fraction = Math.min(1, Math.max(0, decades / (highDecade - lowDecade)));
        return area.y + area.height - (int) Math.round(fraction * area.height);
    }

    /** "1 µs", "100 ms", ... for 10^decade nanoseconds. */
    static String nanosLabel(int decade) {
        String[] units = {"ns", "µs", "ms", "s"};
        int unit = Math.min(decade / 3, units.length - 1);
        long value = (long) Math.pow(10, decade - 3 * unit);
        return value + " " + units[unit];
    }

    /** A round step (1, 2 or 5 times a power of ten) that cuts 0..max into at most 10 parts. */
    static long entriesStep(long max) {
        long power = 1;
        while (true) {
            for (long multiple : new long[] {1, 2, 5}) {
                if (max / (multiple * power) <= 10) {
                    return multiple * power;
                }
            }
            power *= 10;
        }
    }

    /** "0", "500", "200k", "1M", "1.5M". */
    static String entriesLabel(long entries) {
        if (entries >= 1_000_000) {
            return compact(entries / 1e6) + "M";
        }
        return entries >= 1_000 ? compact(entries / 1e3) + "k" : Long.toString(entries);
    }

    private static String compact(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
