package io.berth.update;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import io.berth.dev.EmbeddedDatabase;
import io.berth.testsupport.Api;
import io.berth.testsupport.BerthProcess;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.Registries;
import io.berth.testsupport.RegistryProxy;
import io.berth.testsupport.TestConfig;
import io.berth.testsupport.Tokens;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The issue's requirement "two instances against one database check each image once per interval",
 * proved with real parts: two processes of the packaged application (the jar, or the native
 * executable when the build made one), started here on their own ports against one real
 * PostgreSQL, with auto-update on (a round every second, batches of {@value #BATCH}), checking
 * images of a real registry (Distribution) through a {@link RegistryProxy} that logs every request.
 * <ul>
 * <li>Both alive: images that all fall due at the same moment are each checked exactly once: every
 * repository's tag list is requested once, both instances take part (berth_auto_update_checks_total
 * &gt; 0 on each) and their counts add up to the number of images, and three more rounds of each
 * instance check nothing again.</li>
 * <li>One killed mid-round ({@code destroyForcibly}, i.e. SIGKILL, while it is checking a batch it
 * claimed): every image is still checked, by the survivor once the dead instance's lease
 * ({@value #LEASE_SECONDS} s here) has run out and not before; the survivor checks no image twice;
 * a tag list is requested twice only for an image the dead instance was holding.</li>
 * </ul>
 * Which instance claimed and released which image is read from the database itself: each instance
 * connects with its own JDBC {@code ApplicationName}, and a trigger this test adds to
 * container_images (after the instances migrated the schema) records every change of lease_until
 * with the {@code application_name} of the session that made it. The engine is unchanged by it.
 * The batch size is lowered from 50 so that a few dozen images are more than one instance's claim,
 * as thousands of images are in production; the lease is shortened so the kill case ends quickly,
 * yet stays well above what a batch takes here (one lease covers a whole batch: with a lease shorter
 * than a batch the other instance re-claims the batch's tail while it is being checked, and this
 * test fails, as it should).
 * The two instances are started once; the tests run in order, the second kills the second instance.
 * Each instance's output is in target/two-replicas-it/.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasIT {

    static final int BATCH = 5;
    static final int LEASE_SECONDS = 10;
    private static final int LIVE_IMAGES = 30;
    private static final int KILL_IMAGES = 20;
    /** The check interval (berth.auto-update.default-interval-minutes, default 30) less its -10 % jitter, less slack. */
    private static final Duration RESCHEDULED = Duration.ofMinutes(25);
    private static final Path OUT = Path.of("target", "two-replicas-it");
    private static final String CHECKS = "berth_auto_update_checks_total";
    private static final String IN_FLIGHT = "berth_auto_update_checks_in_flight";

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<BerthProcess> running = new ArrayList<>();
    private static EmbeddedDatabase database;
    private static RegistryProxy proxy;
    /** The two instances, started once for both tests; the second test kills the second. */
    private static BerthProcess a;
    private static BerthProcess b;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(OUT);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (running) {
                running.forEach(r -> r.process.destroyForcibly());
            }
        }));
        database = EmbeddedDatabase.start(0, null);
        proxy = new RegistryProxy(Registries.ANONYMOUS);
        a = start("berth-a");
        b = start("berth-b"); // at once, as a Deployment's replicas start
        a.awaitReady(Duration.ofSeconds(90));
        b.awaitReady(Duration.ofSeconds(90));
        installAudit();
    }

    @AfterEach
    void noDelay() {
        proxy.delay(Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        synchronized (running) {
            running.forEach(BerthProcess::stop);
            running.clear();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Order(1)
    void twoLiveInstancesCheckEachDueImageExactlyOnce() throws Exception {
        Fixture fixture = createImages(LIVE_IMAGES);

        proxy.delay(Duration.ofMillis(50)); // a registry a little away: a batch takes a moment, as it does in production
        int logMark = proxy.log.size();
        long auditMark = auditMark();
        // created moments ago, so due one interval after lastCheckedAt (claimDue: next_check_at is null);
        // an interval passes for all of them at once
        assertEquals(LIVE_IMAGES, sql("update container_images set last_checked_at = now() - interval '31 minutes'"
                + " where company_id = ?", fixture.company));

        long started = System.nanoTime();
        awaitRescheduled(a, fixture, Duration.ofSeconds(60));
        long took = (System.nanoTime() - started) / 1_000_000;
        // three more rounds of each instance: an image checked a moment ago is not due again
        Thread.sleep(3_000);

        Map<String, Integer> tagLists = tagListRequests(logMark, fixture);
        List<Event> events = audit(auditMark, fixture.ids());
        String evidence = evidence(events, tagLists, logMark);
        Map<String, Integer> wrongCounts = new TreeMap<>();
        tagLists.forEach((repo, n) -> {
            if (n != 1) {
                wrongCounts.put(repo, n);
            }
        });
        assertTrue(wrongCounts.isEmpty(), "every repository's tag list must be requested exactly once; these were not: "
                + wrongCounts + evidence);

        Map<UUID, List<Event>> byImage = byImage(events);
        Map<String, Integer> releasesBy = new TreeMap<>();
        for (UUID id : fixture.ids()) {
            List<Event> mine = byImage.getOrDefault(id, List.of());
            List<Event> claims = mine.stream().filter(e -> e.action.equals("claim")).toList();
            List<Event> releases = mine.stream().filter(e -> e.action.equals("release")).toList();
            assertTrue(claims.size() == 1 && releases.size() == 1
                    && claims.get(0).replica.equals(releases.get(0).replica),
                    "image " + id + " must be claimed and released once, by one instance: " + mine + evidence);
            releasesBy.merge(releases.get(0).replica, 1, Integer::sum);
        }
        assertEquals(Set.of(a.name, b.name), releasesBy.keySet(), "both instances check images: " + releasesBy + evidence);

        long checksA = sum(metrics(a), CHECKS);
        long checksB = sum(metrics(b), CHECKS);
        assertTrue(checksA > 0 && checksB > 0, "both instances count checks: " + checksA + ", " + checksB);
        assertEquals(LIVE_IMAGES, checksA + checksB, "the checks of both instances add up to one per image");
        assertEquals(releasesBy.get(a.name).longValue(), checksA, a.name + " counts the checks it made");
        assertEquals(releasesBy.get(b.name).longValue(), checksB, b.name + " counts the checks it made");
        assertEachImageUpdated(a, fixture);
        System.out.printf("TwoReplicasIT live: all %d images checked within %d ms; %s checked %d, %s %d;"
                + " %d registry requests%n", LIVE_IMAGES, took, a.name, checksA, b.name, checksB,
                proxy.log.size() - logMark);
    }

    @Test
    @Order(2)
    void anInstanceKilledMidRoundLeavesItsImagesToTheSurvivorAfterTheLease() throws Exception {
        BerthProcess survivor = a;
        BerthProcess victim = b;
        Fixture fixture = createImages(KILL_IMAGES);
        long survivorBefore = sum(metrics(survivor), CHECKS);
        long victimBefore = sum(metrics(victim), CHECKS); // the counters hold the first test's checks too

        proxy.delay(Duration.ofMillis(200)); // a check takes over half a second: a round of a batch takes seconds
        int logMark = proxy.log.size();
        long auditMark = auditMark();
        // scheduled before, due now (claimDue: next_check_at <= now())
        assertEquals(KILL_IMAGES, sql("update container_images set next_check_at = now() - interval '1 second'"
                + " where company_id = ?", fixture.company));

        // mid-round: the victim has finished a check of its batch and is in the middle of another
        long[] seen = new long[2];
        awaitTrue(Duration.ofSeconds(30), () -> {
            Map<String, Double> m = metrics(victim);
            seen[0] = sum(m, CHECKS) - victimBefore;
            seen[1] = sum(m, IN_FLIGHT);
            return seen[0] >= 1 && seen[1] >= 1;
        }, () -> victim.name + " never was mid-round; checks " + seen[0] + ", in flight " + seen[1]);
        int requestsAtKill = proxy.log.size() - logMark;
        victim.kill();

        long killedAt = System.nanoTime();
        awaitRescheduled(survivor, fixture, Duration.ofSeconds(90));
        long took = (System.nanoTime() - killedAt) / 1_000_000;

        Map<String, Integer> tagLists = tagListRequests(logMark, fixture);
        List<Event> events = audit(auditMark, fixture.ids());
        String evidence = evidence(events, tagLists, logMark);
        Map<UUID, List<Event>> byImage = byImage(events);

        Set<UUID> held = new TreeSet<>(); // claimed by the victim, never released by it
        Map<String, Integer> releasesBy = new TreeMap<>();
        for (UUID id : fixture.ids()) {
            List<Event> mine = byImage.getOrDefault(id, List.of());
            List<Event> releases = mine.stream().filter(e -> e.action.equals("release")).toList();
            assertEquals(1, releases.size(), "image " + id + " must be released exactly once: " + mine + evidence);
            releasesBy.merge(releases.get(0).replica, 1, Integer::sum);
            long survivorClaims = mine.stream().filter(e -> e.is(survivor, "claim")).count();
            assertTrue(survivorClaims <= 1, "the survivor checked image " + id + " " + survivorClaims + " times: "
                    + mine + evidence);
            List<Event> victimClaims = mine.stream().filter(e -> e.is(victim, "claim")).toList();
            boolean victimReleased = mine.stream().anyMatch(e -> e.is(victim, "release"));
            if (!victimClaims.isEmpty() && !victimReleased) {
                held.add(id);
                OffsetDateTime leaseEnd = victimClaims.get(victimClaims.size() - 1).leaseUntil;
                List<Event> takenOver = mine.stream().filter(e -> e.is(survivor, "claim")).toList();
                assertTrue(takenOver.size() == 1 && !takenOver.get(0).at.isBefore(leaseEnd),
                        "image " + id + ", held by the killed instance until " + leaseEnd
                                + ", must be taken over by the survivor once that lease ran out: " + mine + evidence);
            }
        }
        assertTrue(!held.isEmpty(), "the victim was killed holding claimed images" + evidence);

        Map<String, Integer> wrongCounts = new TreeMap<>();
        fixture.repositories.forEach((id, repo) -> {
            int n = tagLists.get(repo);
            if (n < 1 || n > 2 || (n == 2 && !held.contains(id))) {
                wrongCounts.put(repo + " (" + (held.contains(id) ? "held by the killed instance" : "not held") + ")", n);
            }
        });
        assertTrue(wrongCounts.isEmpty(), "each tag list is requested once, twice only for an image the killed "
                + "instance held; these were not: " + wrongCounts + evidence);

        long checksSurvivor = sum(metrics(survivor), CHECKS) - survivorBefore;
        int survivorReleases = releasesBy.getOrDefault(survivor.name, 0);
        assertEquals(survivorReleases, checksSurvivor, "the survivor's checks are the images it released, once each");
        assertEquals(KILL_IMAGES, survivorReleases + releasesBy.getOrDefault(victim.name, 0));
        assertEachImageUpdated(survivor, fixture);
        long rechecked = tagLists.values().stream().filter(n -> n == 2).count();
        System.out.printf("TwoReplicasIT kill: %s killed after %d checks (%d registry requests in all by then), "
                + "holding %d images; all checked %d ms after the kill; %s released %d, %s %d; %d tag lists requested"
                + " twice%n", victim.name, seen[0], requestsAtKill, held.size(), took, survivor.name, survivorReleases,
                victim.name, releasesBy.getOrDefault(victim.name, 0), rechecked);
    }

    // --- the images -------------------------------------------------------------------------------

    /** A fresh company's environment and its images: id -> repository. */
    private record Fixture(UUID company, String token, String environment, Map<UUID, String> repositories) {
        Set<UUID> ids() {
            return repositories.keySet();
        }
    }

    /**
     * Images with autoUpdate, each in its own repository behind the proxy, created through both
     * instances in turn (discovery finds 1.0.0), then 1.1.0 pushed to each for the scheduled check to find.
     */
    private Fixture createImages(int count) throws Exception {
        UUID company = Api.newCompany();
        String token = Tokens.admin(company);
        String environment = api(a, token).body(Map.of("name", "replicas", "tier", "staging"))
                .post("/api/environments").then().statusCode(201).extract().path("id");
        ImagePusher pusher = Registries.pusher(Registries.ANONYMOUS);
        Map<UUID, String> repositories = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                BerthProcess via = i % 2 == 0 ? a : b;
                String name = "image-" + i;
                done.add(pool.submit(() -> {
                    String repository = "public/replicas-" + UUID.randomUUID().toString().substring(0, 8);
                    pusher.push(repository, "1.0.0", ImagePusher.Image.linux(), ImagePusher.OCI_MANIFEST);
                    String id = api(via, token).body(Map.of("name", name, "imageName", proxy.host() + "/" + repository,
                            "tagFilter", "1.*", "autoUpdate", true))
                            .post("/api/environments/" + environment + "/container-images").then().statusCode(201)
                            .body("bestTag", equalTo("1.0.0")).extract().path("id");
                    pusher.push(repository, "1.1.0", ImagePusher.Image.linux(), ImagePusher.OCI_MANIFEST);
                    repositories.put(UUID.fromString(id), repository);
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Fixture(company, token, environment, Map.copyOf(repositories));
    }

    /** Waits until the API shows every image rescheduled one interval ahead: the scheduler checked it. */
    private void awaitRescheduled(BerthProcess via, Fixture fixture, Duration timeout) {
        Set<String> waiting = new TreeSet<>();
        awaitTrue(timeout, () -> {
            waiting.clear();
            OffsetDateTime rescheduled = OffsetDateTime.now().plus(RESCHEDULED);
            for (Map<String, Object> image : list(via, fixture)) {
                Object next = image.get("nextCheckAt");
                if (next == null || OffsetDateTime.parse(next.toString()).isBefore(rescheduled)) {
                    waiting.add(image.get("id") + " (nextCheckAt " + next + ")");
                }
            }
            return waiting.isEmpty();
        }, () -> {
            try {
                return "not checked by the scheduler: " + waiting
                        + evidence(audit(0, fixture.ids()), Map.of(), 0);
            } catch (SQLException e) {
                return "not checked by the scheduler: " + waiting;
            }
        });
    }

    /** Every image holds what its scheduled check found: the new best tag, no error. */
    private void assertEachImageUpdated(BerthProcess via, Fixture fixture) {
        List<Map<String, Object>> images = list(via, fixture);
        assertEquals(fixture.ids().size(), images.size());
        for (Map<String, Object> image : images) {
            assertEquals("1.1.0", image.get("bestTag"), "the check stored its discovery: " + image);
            assertEquals(null, image.get("lastCheckError"), "the check succeeded: " + image);
        }
    }

    private List<Map<String, Object>> list(BerthProcess via, Fixture fixture) {
        JsonPath page = api(via, fixture.token).get("/api/environments/" + fixture.environment
                + "/container-images?limit=200").then().statusCode(200).extract().jsonPath();
        return page.getList("items");
    }

    private static RequestSpecification api(BerthProcess replica, String token) {
        return Api.as(token).baseUri("http://127.0.0.1").port(replica.port);
    }

    // --- the registry's view ----------------------------------------------------------------------

    /** How often each repository's tag list was requested since the mark (every check starts with it). */
    private static Map<String, Integer> tagListRequests(int mark, Fixture fixture) {
        List<String> log;
        synchronized (proxy.log) {
            log = new ArrayList<>(proxy.log.subList(mark, proxy.log.size()));
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (String repository : fixture.repositories.values()) {
            String request = "GET /v2/" + repository + "/tags/list";
            counts.put(repository, (int) log.stream().filter(request::equals).count());
        }
        return counts;
    }

    // --- the database's view ----------------------------------------------------------------------

    /** A change of an image's lease: claimed (lease set) or released (lease cleared), by which instance. */
    private record Event(UUID image, String replica, String action, OffsetDateTime at, OffsetDateTime leaseUntil) {
        boolean is(BerthProcess r, String what) {
            return replica.equals(r.name) && action.equals(what);
        }

        @Override
        public String toString() {
            return action + " by " + replica + " at " + at + (leaseUntil == null ? "" : " lease until " + leaseUntil);
        }
    }

    /** The trigger that records who claimed and released what (idempotent: both tests run it). */
    private static void installAudit() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("create table if not exists two_replicas_it_audit (seq bigserial primary key,"
                    + " at timestamptz not null default clock_timestamp(), image_id uuid not null,"
                    + " replica text not null, action text not null, lease_until timestamptz)");
            s.execute("create or replace function two_replicas_it_audit() returns trigger language plpgsql as $$"
                    + " begin"
                    + "  if new.lease_until is not null and new.lease_until is distinct from old.lease_until then"
                    + "   insert into two_replicas_it_audit (image_id, replica, action, lease_until)"
                    + "    values (new.id, current_setting('application_name'), 'claim', new.lease_until);"
                    + "  elsif new.lease_until is null and old.lease_until is not null then"
                    + "   insert into two_replicas_it_audit (image_id, replica, action)"
                    + "    values (new.id, current_setting('application_name'), 'release');"
                    + "  end if;"
                    + "  return null;"
                    + " end $$");
            s.execute("drop trigger if exists two_replicas_it_audit on container_images");
            s.execute("create trigger two_replicas_it_audit after update on container_images"
                    + " for each row execute function two_replicas_it_audit()");
        }
    }

    private static long auditMark() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select coalesce(max(seq), 0) from two_replicas_it_audit")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<Event> audit(long mark, Set<UUID> ids) throws SQLException {
        List<Event> events = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("select image_id, replica, action, at,"
                + " lease_until from two_replicas_it_audit where seq > ? order by seq")) {
            s.setLong(1, mark);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    if (ids.contains(id)) {
                        events.add(new Event(id, rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class),
                                rs.getObject(5, OffsetDateTime.class)));
                    }
                }
            }
        }
        return events;
    }

    private static Map<UUID, List<Event>> byImage(List<Event> events) {
        return events.stream().collect(Collectors.groupingBy(Event::image, LinkedHashMap::new, Collectors.toList()));
    }

    private static int sql(String statement, UUID company) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(statement)) {
            s.setObject(1, company);
            return s.executeUpdate();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(withApplicationName(database.jdbcUrl(), "two-replicas-it"));
    }

    private static String withApplicationName(String url, String name) {
        return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + name;
    }

    /** What the registry and the database saw, for a failure message. */
    private static String evidence(List<Event> events, Map<String, Integer> tagLists, int logMark) {
        StringBuilder out = new StringBuilder("\n--- lease changes per image:\n");
        byImage(events).forEach((id, list) -> out.append(id).append(": ").append(list).append('\n'));
        if (!tagLists.isEmpty()) {
            out.append("--- tag list requests per repository: ").append(tagLists).append('\n');
            List<String> log;
            synchronized (proxy.log) {
                log = new ArrayList<>(proxy.log.subList(logMark, proxy.log.size()));
            }
            out.append("--- registry requests since the round began (").append(log.size()).append("):\n");
            log.forEach(line -> out.append(line).append('\n'));
        }
        return out.toString();
    }

    // --- the instances ----------------------------------------------------------------------------

    /** One running Berth process; its name is also its database sessions' application_name. */
    private static BerthProcess start(String name) {
        Map<String, String> config = new TreeMap<>(TestConfig.common());
        config.putAll(database.datasourceConfig());
        config.put("quarkus.datasource.jdbc.url", withApplicationName(database.jdbcUrl(), name));
        config.put("berth.auto-update.enabled", "true");
        config.put("berth.auto-update.poll-interval", "1s");
        config.put("berth.auto-update.initial-delay", "0s");
        config.put("berth.auto-update.lease", LEASE_SECONDS + "s");
        config.put("berth.auto-update.batch-size", Integer.toString(BATCH));
        config.put("quarkus.log.category.\"io.berth.update\".level", "DEBUG");
        BerthProcess replica = BerthProcess.start(name, config, OUT);
        synchronized (running) {
            running.add(replica);
        }
        return replica;
    }

    // --- HTTP and waiting -------------------------------------------------------------------------

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)$");

    /** The instance's Prometheus samples: "name{labels}" -> value. */
    private static Map<String, Double> metrics(BerthProcess replica) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(replica.url("/q/metrics")))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), "metrics of " + replica.name);
            Map<String, Double> samples = new HashMap<>();
            for (String line : response.body().split("\n")) {
                Matcher m = SAMPLE.matcher(line.trim());
                if (!line.startsWith("#") && m.matches()) {
                    samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
                }
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException("metrics of " + replica.name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of a metric over its labels (0 before its first sample). */
    private static long sum(Map<String, Double> samples, String name) {
        return Math.round(samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum());
    }

    private static void awaitTrue(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> why) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("within " + timeout.toSeconds() + " s: " + why.get());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
