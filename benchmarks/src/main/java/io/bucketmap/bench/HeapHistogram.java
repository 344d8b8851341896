package io.bucketmap.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * The JVM's class histogram ({@code jcmd <pid> GC.class_histogram}) read in-process through the diagnostic-command
 * MBean: it collects the whole heap first, so what it counts are the live objects. Used to count the objects a store
 * holds: the difference between two readings around a fill. Each reading costs a full collection and a heap walk.
 */
final class HeapHistogram {
    private HeapHistogram() {
    }

    /** Live objects per class name, after a full collection; the key "Total" holds the sum. */
    static Map<String, Long> objectsByClass() {
        Map<String, Long> counts = new HashMap<>();
        for (String line : histogram().split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 4 && fields[0].endsWith(":")) {
                counts.put(fields[3], Long.parseLong(fields[1]));
            } else if (fields.length >= 3 && fields[0].equals("Total")) {
                counts.put("Total", Long.parseLong(fields[1]));
            }
        }
        return counts;
    }

    /** The {@code limit} classes whose counts grew most from {@code before} to {@code after}, as "class +n" lines. */
    static List<String> largestGrowth(Map<String, Long> before, Map<String, Long> after, int limit) {
        List<Map.Entry<String, Long>> growth = new ArrayList<>();
        after.forEach((name, count) -> {
            if (!name.equals("Total")) {
                growth.add(Map.entry(name, count - before.getOrDefault(name, 0L)));
            }
        });
        growth.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Long> entry : growth.subList(0, Math.min(limit, growth.size()))) {
            lines.add(String.format("%s %+d", entry.getKey(), entry.getValue()));
        }
        return lines;
    }

    /** The histogram's text, one line per class, largest first. */
    static String histogram() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            throw new IllegalStateException("the class histogram is not available", e);
        }
    }
}
