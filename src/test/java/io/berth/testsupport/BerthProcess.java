package io.berth.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One real Berth instance of the packaged application, started by a test as its own process: the
 * native executable when the build made one, else the jar. For behaviour across replicas and
 * across a crash (SIGKILL), which one @QuarkusIntegrationTest application cannot show.
 */
public final class BerthProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public final String name;
    public final int port;
    public final Process process;
    public final Path output;

    private BerthProcess(String name, int port, Process process, Path output) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts an instance on a free loopback port with {@code config} as system properties (the
     * datasource included); its output goes to {@code outDir/<name>.log}.
     */
    public static BerthProcess start(String name, Map<String, String> config, Path outDir) {
        int port = TestFiles.freePort();
        Map<String, String> all = new TreeMap<>(config);
        all.put("quarkus.http.host", "127.0.0.1");
        all.put("quarkus.http.port", Integer.toString(port));
        List<String> command = new ArrayList<>();
        Path nativeRunner = nativeRunner();
        command.add(nativeRunner != null ? nativeRunner.toAbsolutePath().toString()
                : Path.of(System.getProperty("java.home"), "bin", "java").toString());
        all.forEach((key, value) -> command.add("-D" + key + "=" + value));
        if (nativeRunner == null) {
            Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("package the application first: " + jar.toAbsolutePath());
            }
            command.add("-jar");
            command.add(jar.toAbsolutePath().toString());
        }
        try {
            Files.createDirectories(outDir);
            Path output = outDir.resolve(name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new BerthProcess(name, port, process, output);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command.get(0), e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Waits until /q/health/ready answers 200; fails with the output's tail if it exits or takes too long. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (status(url("/q/health/ready")) != 200) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not become ready:\n" + tail());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** SIGKILL: no shutdown hook, no release of what it claimed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not die");
        }
    }

    /** SIGTERM, then SIGKILL after 15 s. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last 40 lines of its output. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(output);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The native executable when the build made one (target/quarkus-artifact.properties says so, as
     * for @QuarkusIntegrationTest; failsafe names it in native.image.path), else null: the jar.
     */
    private static Path nativeRunner() {
        Properties artifact = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("target", "quarkus-artifact.properties"))) {
            artifact.load(in);
        } catch (IOException e) {
            return null;
        }
        if (!"native".equals(artifact.getProperty("type"))) {
            return null;
        }
        String configured = System.getProperty("native.image.path");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        return Path.of("target").resolve(artifact.getProperty("path"));
    }
}
