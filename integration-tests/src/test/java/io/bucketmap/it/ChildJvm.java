package io.bucketmap.it;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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
        return start(mainClass, System.getProperty("java.class.path"), output, args);
    }

    /**
     * Starts {@code mainClass} with {@code args} on this JVM's class path with Kafka replaced by the jars in
     * {@code kafkaJars} (kafka-streams, kafka-clients and rocksdbjni of one version): every jar of the
     * {@code org.apache.kafka} group and rocksdbjni leave the class path (the broker's jars too, which the child does not
     * need and which must not lend it classes of the project's Kafka), those of {@code kafkaJars} come in their place.
     *
     * @throws IllegalStateException if this JVM's class path has no kafka-streams, kafka-clients or rocksdbjni jar to
     *                               replace, or {@code kafkaJars} holds none
     */
    static ChildJvm startOnKafka(Class<?> mainClass, Path kafkaJars, Path output, String... args) throws IOException {
        List<String> classPath = new ArrayList<>();
        int replaced = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String name = path.getFileName().toString();
            if (name.matches("(kafka-streams|kafka-clients|rocksdbjni)-\\d.*\\.jar")) {
                replaced++;
            } else if (!isKafkaJar(path)) {
                classPath.add(entry);
            }
        }
        List<String> jars;
        try (Stream<Path> files = Files.list(kafkaJars)) {
            jars = files.map(Path::toString).filter(file -> file.endsWith(".jar")).sorted().toList();
        }
        if (replaced != 3 || jars.isEmpty()) {
            throw new IllegalStateException("cannot swap Kafka on this class path (" + replaced + " of kafka-streams,"
                + " kafka-clients and rocksdbjni found) for the jars in " + kafkaJars + ": " + jars);
        }
        classPath.addAll(0, jars);
        return start(mainClass, String.join(File.pathSeparator, classPath), output, args);
    }

    /** A jar of the {@code org.apache.kafka} group in a Maven repository's layout. */
    private static boolean isKafkaJar(Path path) {
        String normalized = path.toAbsolutePath().toString().replace(File.separatorChar, '/');
        return normalized.endsWith(".jar") && normalized.contains("/org/apache/kafka/");
    }

    private static ChildJvm start(Class<?> mainClass, String classPath, Path output, String... args)
        throws IOException {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m", "-XX:+UseSerialGC",
            "-cp", classPath,
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
