package io.bucketmap.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A main class of the test sources running in a child JVM with this JVM's class path, so a test can crash it
 * for real: {@link #kill} is SIGKILL, no shutdown hook, no finally block, nothing flushed. Its standard output
 * and error go to a file the test can wait on and that stays for diagnosis.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code mainClass} with {@code args}; standard output and error go to {@code output}. */
    static ChildJvm start(Class<?> mainClass, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m", "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"),
            mainClass.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
        return new ChildJvm(process, output);
    }

    /** Waits until a line of the child's output equals {@code line}; fails early if the child exits. */
    void awaitOutputLine(String line, Duration limit) {
        await("child output line " + line).atMost(limit).pollInterval(Duration.ofMillis(100))
            .failFast("child exited, output in " + output, () -> !process.isAlive())
            .until(() -> Files.readAllLines(output).contains(line));
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Kills the child if a test ended without doing so. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
