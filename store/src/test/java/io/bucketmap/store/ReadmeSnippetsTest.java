package io.bucketmap.store;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's code is code that compiles and runs: every {@code ```java} block of {@code README.md} and of the testing
 * guide it points to ({@code docs/testing.md}) is compiled, on
 * the Kafka Streams this test runs on (each version of the matrix), with the imports of {@link #IMPORTS}, which the
 * README leaves out; and every JUnit {@code @Test} method among them is run. A block that declares a top-level type is
 * a source file of its own (blocks may use each other's types); any other block is the body of a method. The install
 * command and the Maven coordinates of "Install" are this build's.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("..", "README.md");
    /** The testing guide, whose snippets use the README's types and are held to the same rule. */
    private static final Path TESTING_GUIDE = Path.of("..", "docs", "testing.md");
    private static final String PACKAGE = "readme";
    /** What the README's snippets may use without importing it (it says so above its first snippet). */
    static final List<String> IMPORTS = List.of(
            "io.bucketmap.eviction.*",
            "io.bucketmap.store.*",
            "org.apache.kafka.clients.admin.*",
            "org.apache.kafka.clients.consumer.ConsumerConfig",
            "org.apache.kafka.clients.producer.*",
            "org.apache.kafka.common.serialization.*",
            "org.apache.kafka.common.utils.Bytes",
            "org.apache.kafka.streams.*",
            "org.apache.kafka.streams.kstream.*",
            "org.apache.kafka.streams.processor.PunctuationType",
            "org.apache.kafka.streams.processor.api.*",
            "org.apache.kafka.streams.processor.api.Record",
            "org.apache.kafka.streams.query.*",
            "org.apache.kafka.streams.state.*",
            "org.junit.jupiter.api.Test",
            "java.nio.file.Path",
            "java.time.Duration",
            "java.util.*",
            "static org.awaitility.Awaitility.await",
            "static org.junit.jupiter.api.Assertions.*");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);
    private static final Pattern TOP_LEVEL_TYPE =
            Pattern.compile("^(?:public |final |abstract )*(?:class|interface|record|enum) (\\w+)", Pattern.MULTILINE);

    @Test
    void theInstallSectionNamesThisArtifactAndTheCommandThatInstallsIt() throws IOException {
        String section = section("## Install");
        String storePom = Files.readString(Path.of("pom.xml"));
        Matcher version = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(storePom);
        assertThat(version.find()).isTrue();

        assertThat(section).contains("    ./mvnw -B -pl store -am install -DskipTests\n");
        assertThat(section)
                .contains("<artifactId>bucketmap-store</artifactId>\n  <version>" + version.group(1) + "</version>");
        assertThat(section).contains("implementation(\"io.bucketmap:bucketmap-store:" + version.group(1) + "\")");
    }

    @Test
    void theTestCommandOfTheReadmeIsTheOneCiRuns() throws IOException {
        String ci = Files.readString(Path.of("..", ".ci", "run"));

        assertThat(ci).contains("\nexec ./mvnw -B verify\n");
        assertThat(Files.readString(README)).contains("\n    ./mvnw -B verify ");
    }

    @TestFactory
    Stream<DynamicTest> everySnippetCompilesAndEveryTestAmongThemPasses(@TempDir Path work) throws Exception {
        Map<String, String> sources = sources(Files.readString(README) + Files.readString(TESTING_GUIDE));
        assertThat(sources).as("Java snippets in the README and the testing guide").hasSizeGreaterThan(5);
        Path classes = compile(sources, work);

        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        List<DynamicTest> tests = new ArrayList<>();
        for (String type : sources.keySet()) {
            Class<?> snippet = loader.loadClass(PACKAGE + "." + type);
            for (Method method : snippet.getDeclaredMethods()) {
                if (method.isAnnotationPresent(Test.class)) {
                    tests.add(DynamicTest.dynamicTest(type + "." + method.getName(), () -> run(snippet, method)));
                }
            }
        }
        assertThat(tests).as("JUnit tests among the snippets").isNotEmpty();
        return tests.stream();
    }

    /** One source file per snippet, by type name: a snippet declaring types as it is, any other as a method body. */
    static Map<String, String> sources(String readme) {
        String header = "package " + PACKAGE + ";\n"
                + IMPORTS.stream().map(name -> "import " + name + ";\n").collect(Collectors.joining());
        Map<String, String> sources = new LinkedHashMap<>();
        Matcher block = JAVA_BLOCK.matcher(readme);
        int statements = 0;
        while (block.find()) {
            String code = block.group(1);
            Matcher type = TOP_LEVEL_TYPE.matcher(code);
            if (type.find()) {
                sources.put(type.group(1), header + code);
            } else {
                String name = "Statements" + ++statements;
                sources.put(name, header + "class " + name + " {\n    void run() throws Exception {\n" + code
                        + "    }\n}\n");
            }
        }
        return sources;
    }

    private static Path compile(Map<String, String> sources, Path work) throws IOException {
        Path sourceDir = Files.createDirectories(work.resolve("src").resolve(PACKAGE));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<File> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceDir.resolve(source.getKey() + ".java");
            Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
            files.add(file.toFile());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-proc:none", "-d", classes.toString(), "-classpath", testClassPath());
            boolean compiled = javac.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromFiles(files)).call();
            assertThat(compiled).as("the README's snippets compile:%n%s", errors(diagnostics)).isTrue();
        }
        return classes;
    }

    /** Surefire's test class path (java.class.path may hold only its booter jar). */
    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static String errors(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                .filter(diagnostic -> diagnostic.getKind() == Diagnostic.Kind.ERROR)
                .map(diagnostic -> diagnostic.getSource().getName() + ":" + diagnostic.getLineNumber() + ": "
                        + diagnostic.getMessage(null))
                .collect(Collectors.joining("\n"));
    }

    private static void run(Class<?> type, Method test) throws Throwable {
        Constructor<?> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        test.setAccessible(true);
        try {
            test.invoke(constructor.newInstance());
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String section(String heading) throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }
}
