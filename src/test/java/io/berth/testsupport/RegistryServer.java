package io.berth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A real CNCF Distribution registry ({@code /usr/bin/docker-registry}, Debian's docker-registry
 * package) on a free loopback port, in one of three authentication modes. It can be stopped,
 * started again on the same port with the same storage, and frozen (SIGSTOP) to play a registry
 * that accepts connections but never answers.
 */
public final class RegistryServer implements AutoCloseable {

    public enum Mode { ANONYMOUS, BASIC, TOKEN, TLS }

    public static final String BINARY = "/usr/bin/docker-registry";

    private final Mode mode;
    private final int port;
    private final Path config;
    private Process process;

    public RegistryServer(Mode mode, TokenServer tokens) {
        this(mode, tokens, tokens == null ? null : tokens.realm());
    }

    /** With {@code realm}, a token registry announces that realm instead of the token server's. */
    public RegistryServer(Mode mode, TokenServer tokens, String realm) {
        this(mode, TestFiles.freePort(), realm, "");
    }

    /**
     * An anonymous registry on {@code port} (e.g. one a registry connection was made for before) with
     * {@code extraYaml} appended to its configuration, e.g. a {@code notifications} section.
     */
    public RegistryServer(int port, String extraYaml) {
        this(Mode.ANONYMOUS, port, null, extraYaml);
    }

    private RegistryServer(Mode mode, int port, String realm, String extraYaml) {
        this.mode = mode;
        this.port = port;
        try {
            Path dir = Files.createTempDirectory("berth-registry-" + mode.name().toLowerCase());
            this.config = dir.resolve("config.yml");
            Files.writeString(config, configYaml(dir, realm) + extraYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    private String configYaml(Path dir, String realm) {
        StringBuilder yaml = new StringBuilder("""
                version: 0.1
                log:
                  level: error
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  secret: %s
                """.formatted(dir.resolve("data"), port, UUID.randomUUID()));
        switch (mode) {
            case BASIC -> yaml.append("""
                    auth:
                      htpasswd:
                        realm: berth-test
                        path: %s
                    """.formatted(TestFiles.copy("registry/htpasswd")));
            case TOKEN -> yaml.append("""
                    auth:
                      token:
                        realm: %s
                        service: %s
                        issuer: %s
                        rootcertbundle: %s
                    """.formatted(realm, TokenServer.SERVICE, TokenServer.ISSUER,
                    TestFiles.copy("registry/token-issuer-cert.pem")));
            case TLS -> yaml.append("""
                      tls:
                        certificate: %s
                        key: %s
                    """.formatted(TestFiles.copy("registry/tls-cert.pem"), TestFiles.copy("registry/tls-key.pem")));
            default -> {
            }
        }
        return yaml.toString();
    }

    public Mode mode() {
        return mode;
    }

    /** {@code 127.0.0.1:<port>}, the registry host as Berth users write it. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public URI url(String path) {
        return URI.create((mode == Mode.TLS ? "https://" : "http://") + host() + path);
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(BINARY, "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(config.resolveSibling("registry.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + BINARY + " (apt-get install docker-registry)", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (answers()) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("The registry did not start; see " + config.resolveSibling("registry.log"));
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** SIGSTOP: connections are still accepted by the kernel, but nothing answers. */
    public void freeze() {
        signal("STOP");
    }

    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean answers() {
        if (mode == Mode.TLS) {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        try {
            HttpURLConnection connection = (HttpURLConnection) url("/v2/").toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(1000);
            int status = connection.getResponseCode();
            return status == 200 || status == 401;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
