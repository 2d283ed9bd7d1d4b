package io.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryAuth;
import io.berth.registry.RegistryClient;
import io.berth.registry.RegistryConfig;
import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryProxy;
import io.berth.testsupport.RegistryServer;
import io.berth.testsupport.TokenServer;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * bench/registry: what one image-existence check costs in HTTP requests and time, cold and with
 * a warm token cache, in the three auth modes, beside skopeo inspect against the same registry;
 * and what check-updates costs on a repository with 1,000 tags. Prints; asserts nothing.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(RegistryCostBenchmark.Production.class)
class RegistryCostBenchmark {

    /** Production's tag limits (the test profile's are small to exercise paging). */
    public static class Production implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.registry.max-tags", "10000", "berth.registry.tags-page-size", "1000",
                    "berth.registry.read-timeout", "10s");
        }
    }

    private static final int ROUNDS = 20;

    @Inject
    RegistryConfig config;
    @Inject
    ObjectMapper mapper;

    @Test
    void measure() throws Exception {
        StringBuilder out = new StringBuilder("## Registry cost of one image-existence check\n\n"
                + "Requests counted at the registry (through a counting pass-through proxy) and at the token service; "
                + "times (median of " + ROUNDS + " checks for Berth, 5 for skopeo, which starts a process each time) "
                + "taken against the registry directly.\n\n"
                + "| auth mode | client | cache | registry requests | token requests | median time |\n|---|---|---|---|---|---|\n");
        for (RegistryServer.Mode mode : List.of(RegistryServer.Mode.ANONYMOUS, RegistryServer.Mode.BASIC, RegistryServer.Mode.TOKEN)) {
            RegistryServer server = switch (mode) {
                case ANONYMOUS -> Registries.ANONYMOUS;
                case BASIC -> Registries.BASIC;
                default -> Registries.TOKEN;
            };
            String repository = (mode == RegistryServer.Mode.ANONYMOUS ? "public" : "private") + "/bench-" + UUID.randomUUID().toString().substring(0, 6);
            Registries.pusher(server).push(repository, "v1", ImagePusher.Image.linux("80/tcp"), ImagePusher.OCI_MANIFEST);
            RegistryAuth auth = mode == RegistryServer.Mode.ANONYMOUS ? new RegistryAuth(null, null, true)
                    : new RegistryAuth(TokenServer.USER, TokenServer.PASSWORD, true);
            ImageReference direct = ImageReference.parse(server.host() + "/" + repository + ":v1");
            try (RegistryProxy proxy = new RegistryProxy(server)) {
                // Requests are counted through the proxy; times are taken against the registry itself.
                ImageReference counted = ImageReference.parse(proxy.host() + "/" + repository + ":v1");
                long r0 = proxy.requests.get();
                long t0 = Registries.TOKENS.requests.get();
                RegistryClient client = new RegistryClient(config, mapper); // an empty token cache
                client.head(counted, auth);
                long[] cold = { proxy.requests.get() - r0, Registries.TOKENS.requests.get() - t0 };
                r0 = proxy.requests.get();
                t0 = Registries.TOKENS.requests.get();
                client.head(counted, auth);
                long[] warm = { proxy.requests.get() - r0, Registries.TOKENS.requests.get() - t0 };
                List<Long> coldTimes = new ArrayList<>();
                for (int i = 0; i < ROUNDS; i++) {
                    RegistryClient fresh = new RegistryClient(config, mapper);
                    long started = System.nanoTime();
                    fresh.head(direct, auth);
                    coldTimes.add(System.nanoTime() - started);
                }
                List<Long> warmTimes = new ArrayList<>();
                client.head(direct, auth);
                for (int i = 0; i < ROUNDS; i++) {
                    long started = System.nanoTime();
                    client.head(direct, auth);
                    warmTimes.add(System.nanoTime() - started);
                }
                row(out, mode, "Berth (HEAD manifest)", "cold", cold[0], cold[1], coldTimes);
                row(out, mode, "Berth (HEAD manifest)", "warm", warm[0], warm[1], warmTimes);
                for (boolean raw : new boolean[] { true, false }) {
                    long p0 = proxy.requests.get();
                    long k0 = Registries.TOKENS.requests.get();
                    skopeo(raw, counted.registry() + "/" + repository + ":v1", mode != RegistryServer.Mode.ANONYMOUS);
                    long[] counts = { proxy.requests.get() - p0, Registries.TOKENS.requests.get() - k0 };
                    List<Long> times = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        long started = System.nanoTime();
                        skopeo(raw, server.host() + "/" + repository + ":v1", mode != RegistryServer.Mode.ANONYMOUS);
                        times.add(System.nanoTime() - started);
                    }
                    row(out, mode, raw ? "skopeo inspect --raw" : "skopeo inspect", "none (a process per check)",
                            counts[0], counts[1], times);
                }
            }
        }
        out.append('\n').append(checkUpdates()).append('\n');
        Path report = Path.of("target", "bench", "registry.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, out.toString());
        System.out.println(out);
    }

    /** check-updates through the API on a repository with 1,000 tags. */
    private String checkUpdates() {
        String repository = "public/many-" + UUID.randomUUID().toString().substring(0, 6);
        ImagePusher pusher = Registries.pusher(Registries.ANONYMOUS);
        String digest = pusher.push(repository, "1.0.0", ImagePusher.Image.linux("80/tcp"), ImagePusher.OCI_MANIFEST);
        for (int i = 1; i < 1000; i++) {
            pusher.tag(repository, digest, "1." + (i / 100) + "." + (i % 100));
        }
        try (RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS)) {
            String admin = Tokens.admin(Api.newCompany());
            String env = Api.createEnvironment(admin, "bench");
            String id = Api.as(admin).body(Map.of("name", "many", "imageName", proxy.host() + "/" + repository,
                    "tagFilter", "semver:^1")).post("/api/environments/" + env + "/container-images").then()
                    .statusCode(201).extract().path("id");
            List<Long> times = new ArrayList<>();
            long requests = 0;
            String best = null;
            for (int i = 0; i < 5; i++) {
                long r0 = proxy.requests.get();
                long started = System.nanoTime();
                best = Api.as(admin).post("/api/container-images/" + id + "/check-updates").then().statusCode(200)
                        .extract().path("bestTag");
                times.add(System.nanoTime() - started);
                requests = proxy.requests.get() - r0;
            }
            return "## check-updates on a repository with 1,000 tags\n\n| tags | pages (1,000 a page) | registry requests | "
                    + "best tag | median time |\n|---|---|---|---|---|\n| 1,000 | 1 | " + requests + " | " + best + " | "
                    + median(times) + " |\n";
        }
    }

    private static void skopeo(boolean raw, String reference, boolean credentials) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--tls-verify=false"));
        if (raw) {
            command.add("--raw");
        }
        if (credentials) {
            command.add("--creds");
            command.add(TokenServer.USER + ":" + TokenServer.PASSWORD);
        }
        command.add("docker://" + reference);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("skopeo failed: " + output);
        }
    }

    private static void row(StringBuilder out, RegistryServer.Mode mode, String client, String cache, long registry,
            long tokens, List<Long> nanos) {
        out.append("| ").append(mode.name().toLowerCase()).append(" | ").append(client).append(" | ").append(cache)
                .append(" | ").append(registry).append(" | ").append(tokens).append(" | ").append(median(nanos)).append(" |\n");
    }

    private static String median(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return String.format("%.1f ms", sorted.get(sorted.size() / 2) / 1e6);
    }
}
