package io.berth.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.berth.image.TagFilter;
import io.berth.registry.ImageReference;
import io.berth.registry.RegistryAuth;
import io.berth.registry.RegistryClient;
import io.berth.registry.TagListing;
import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryProxy;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * bench/large-repository: tracking a repository of 50,000 tags (per-commit tags plus ten
 * releases), as CI-built repositories have: time, registry requests and memory of discovery
 * through the API, and what the tag listing holds with the filter applied while paging versus
 * every tag. Prints and writes target/bench/large-repository.md; asserts only that it works.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(LargeRepositoryBenchmark.Production.class)
class LargeRepositoryBenchmark {

    /** Production's tag limits (the test profile's are small to exercise paging). */
    public static class Production implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.registry.max-tags", "50000", "berth.registry.max-tag-pages", "1000",
                    "berth.registry.tags-page-size", "1000", "berth.registry.read-timeout", "10s");
        }
    }

    private static final int TAGS = 50_000;
    private static final int RELEASES = 10;
    private static final String FILTER = "semver:^1";

    @Inject
    RegistryClient client;

    @Test
    void measure() throws Exception {
        String repository = "public/commits-" + UUID.randomUUID().toString().substring(0, 6);
        ImagePusher pusher = Registries.pusher(Registries.ANONYMOUS);
        String digest = pusher.push(repository, "1.0.0", ImagePusher.Image.linux("80/tcp"), ImagePusher.OCI_MANIFEST);
        List<String> tags = new ArrayList<>();
        for (int i = 1; i < RELEASES; i++) {
            tags.add("1.0." + i);
        }
        for (int i = 0; tags.size() < TAGS - 1; i++) {
            tags.add(String.format("main-%08x", (i * 2654435761L) & 0xffffffffL));
        }
        long pushStarted = System.nanoTime();
        pusher.tagAll(repository, digest, tags, 6);
        double pushSeconds = (System.nanoTime() - pushStarted) / 1e9;

        StringBuilder out = new StringBuilder("## A repository of 50,000 tags\n\n")
                .append(String.format("%,d tags (%d releases, the rest per-commit `main-<hash>`), pushed in %.0f s "
                        + "(6 threads). Filter `%s`; production limits (max-tags 50,000, pages of 1,000, "
                        + "max-tag-pages 1,000).%n%n", TAGS, RELEASES, pushSeconds, FILTER));
        try (RegistryProxy proxy = new RegistryProxy(Registries.ANONYMOUS)) {
            out.append("### Through the API\n\nPaged by the counting pass-through proxy (`n`/`last`/`Link`, as Docker Hub, "
                    + "GHCR and Distribution 3 page); the proxy re-reads the whole list from Distribution 2.8 for each "
                    + "page, so its time is included.\n\n| operation | registry requests | time | best tag |\n|---|---|---|---|\n");
            String admin = Tokens.admin(Api.newCompany());
            String env = Api.createEnvironment(admin, "bench-large");
            long r0 = proxy.requests.get();
            long started = System.nanoTime();
            var created = Api.as(admin).body(Map.of("name", "commits", "imageName", proxy.host() + "/" + repository,
                    "tagFilter", FILTER)).post("/api/environments/" + env + "/container-images").then().statusCode(201)
                    .extract();
            String id = created.path("id");
            row(out, "POST container image (discovery)", proxy.requests.get() - r0, System.nanoTime() - started,
                    created.path("bestTag") + (created.path("lastCheckError") == null ? "" : " / " + created.path("lastCheckError")));
            List<Long> times = new ArrayList<>();
            long requests = 0;
            String best = null;
            for (int i = 0; i < 3; i++) {
                r0 = proxy.requests.get();
                started = System.nanoTime();
                best = Api.as(admin).post("/api/container-images/" + id + "/check-updates").then().statusCode(200)
                        .extract().path("bestTag");
                times.add(System.nanoTime() - started);
                requests = proxy.requests.get() - r0;
            }
            row(out, "check-updates (median of 3)", requests, times.stream().sorted().toList().get(1), best);

            out.append("\n### What one tag listing holds\n\n`RegistryClient.tags` on the test thread, through the proxy. "
                    + "Allocated: bytes allocated by the listing (page bodies, JSON trees, transient strings). Retained: "
                    + "heap still in use after GC while the result is held.\n\n"
                    + "| listing | tags read | tags held | allocated | retained | time |\n|---|---|---|---|---|---|\n");
            ImageReference ref = ImageReference.parse(proxy.host() + "/" + repository);
            RegistryAuth auth = new RegistryAuth(null, null, true);
            TagFilter filter = TagFilter.parse(FILTER);
            memory(out, "discovery: matches of the filter only", () -> client.tags(ref, auth, filter::matches));
            memory(out, "the API's tag listings: every tag", () -> client.tags(ref, auth, t -> true));
        }
        Path report = Path.of("target", "bench", "large-repository.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, out.toString());
        System.out.println(out);
    }

    private static void memory(StringBuilder out, String what, Supplier<TagListing> listing) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = usedAfterGc();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        long started = System.nanoTime();
        TagListing result = listing.get();
        long nanos = System.nanoTime() - started;
        allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
        long retained = usedAfterGc() - before;
        out.append(String.format("| %s | %,d | %,d | %.1f MB | %s | %.0f ms |%n", what, result.total(), result.kept().size(),
                allocated / 1e6, retained < 64 << 10 ? "< 0.1 MB" : String.format("%.1f MB", retained / 1e6), nanos / 1e6));
        if (result.kept().isEmpty()) {
            throw new IllegalStateException("nothing kept"); // and keeps the result reachable until here
        }
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static void row(StringBuilder out, String operation, long requests, long nanos, String best) {
        out.append(String.format("| %s | %d | %.1f s | %s |%n", operation, requests, nanos / 1e9, best));
    }
}
