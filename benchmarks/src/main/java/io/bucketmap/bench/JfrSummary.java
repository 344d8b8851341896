package io.bucketmap.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's execution samples fall: the share of samples whose top frame is each method and line
 * ("self"; a cache miss shows on the line that first needs the loaded value, or a line after it), and the share whose
 * stack holds each method ("inclusive"). Record with {@code -XX:StartFlightRecording=filename=<file>,
 * settings=benchmarks/execution-samples-1ms.jfc} (a sample per millisecond of running Java code).
 *
 * <p>Usage: {@code JfrSummary <recording.jfr> [lines]}: the {@code lines} (default 25) largest of each.
 */
public final class JfrSummary {
    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                    || event.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            samples++;
            self.merge(methodOf(frames.get(0)) + ":" + frames.get(0).getLineNumber(), 1, Integer::sum);
            Set<String> onStack = new HashSet<>();
            for (RecordedFrame frame : frames) {
                if (onStack.add(methodOf(frame))) {
                    inclusive.merge(methodOf(frame), 1, Integer::sum);
                }
            }
        }
        System.out.println(samples + " execution samples");
        print("self (top frame, method:line)", self, samples, lines);
        print("inclusive (method anywhere on the stack)", inclusive, samples, lines);
    }

    private static String methodOf(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int lines) {
        System.out.println("-- " + title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(lines)
                .forEach(entry -> System.out.printf(Locale.ROOT, "%5.1f%% %s%n", 100.0 * entry.getValue() / samples,
                        entry.getKey()));
    }
}
