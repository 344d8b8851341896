package io.bucketmap.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's code for users ("Add it to your build", "Testing your topology") is the consumer project's code
 * (src/it/consumer-project, which maven-invoker-plugin builds and tests on every Kafka version of the matrix): every
 * code line of those sections' Java snippets appears, trailing comments aside, in that project's sources, and the
 * install command and the Maven coordinates are this build's. So a snippet cannot drift from code that is compiled
 * and run.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path CONSUMER_PROJECT = Path.of("src", "it", "consumer-project");

    @Test
    void everyJavaLineOfTheUserSectionsIsInTheConsumerProject() throws IOException {
        Set<String> consumerLines;
        try (Stream<Path> files = Files.walk(CONSUMER_PROJECT.resolve("src"))) {
            consumerLines = files.filter(file -> file.toString().endsWith(".java"))
                    .flatMap(ReadmeSnippetsTest::lines)
                    .map(ReadmeSnippetsTest::code)
                    .collect(Collectors.toSet());
        }
        List<String> snippetLines = new ArrayList<>();
        for (String section : List.of("## Add it to your build", "## Testing your topology")) {
            snippetLines.addAll(javaLines(section(section)));
        }

        assertThat(snippetLines).hasSizeGreaterThan(40);
        assertThat(snippetLines.stream().filter(line -> !consumerLines.contains(line)))
                .as("README lines not in the consumer project").isEmpty();
    }

    @Test
    void theDependencySnippetNamesThisArtifactAndTheInstallCommandInstallsIt() throws IOException {
        String section = section("## Add it to your build");
        String storePom = Files.readString(Path.of("pom.xml"));
        Matcher version = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(storePom);
        assertThat(version.find()).isTrue();

        assertThat(section).contains("    mvn -B -pl store -am install -DskipTests\n");
        assertThat(section)
                .contains("<artifactId>bucketmap-store</artifactId>\n  <version>" + version.group(1) + "</version>");
        assertThat(section).contains("implementation(\"io.bucketmap:bucketmap-store:" + version.group(1) + "\")");
    }

    private static String section(String heading) throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static List<String> javaLines(String section) {
        List<String> lines = new ArrayList<>();
        Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (block.find()) {
            for (String line : block.group(1).split("\n")) {
                String code = code(line);
                if (!code.isEmpty()) {
                    lines.add(code);
                }
            }
        }
        return lines;
    }

    /** The line without indentation and trailing comment; empty for a blank or comment-only line. */
    private static String code(String line) {
        int comment = line.indexOf("//");
        return (comment < 0 ? line : line.substring(0, comment)).strip();
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
