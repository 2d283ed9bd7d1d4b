package io.berth.update;

import static io.berth.testsupport.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.berth.persistence.Tenancy;
import io.berth.testsupport.Api;
import io.berth.testsupport.ImagePusher;
import io.berth.testsupport.Registries;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The scheduler's claim, as two replicas would race for it: claims made at the same time are
 * disjoint, a claimed image stays claimed for its lease, and an expired lease (a replica that died
 * mid-check) frees it.
 */
@QuarkusTest
class SchedulerClaimTest {

    @Inject
    AutoUpdater updater;
    @Inject
    EntityManager em;
    @Inject
    Tenancy tenancy;

    @Test
    void concurrentClaimsAreDisjointAndALeaseOutlivesItsReplica() throws Exception {
        String admin = Tokens.admin(Api.newCompany());
        String env = Api.createEnvironment(admin, "claims");
        Set<UUID> mine = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            String repository = "public/claim-" + UUID.randomUUID().toString().substring(0, 8);
            Registries.pusher(Registries.ANONYMOUS).push(repository, "1.0.0", ImagePusher.Image.linux(),
                    ImagePusher.OCI_MANIFEST);
            String id = as(admin).body(Map.of("name", "c" + i, "imageName", Registries.ANONYMOUS.host() + "/" + repository,
                    "tagFilter", "1.*", "autoUpdate", true)).post("/api/environments/" + env + "/container-images")
                    .then().statusCode(201).extract().path("id");
            mine.add(UUID.fromString(id));
        }
        mine.forEach(this::makeDue);

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2); // one thread per "replica"
        List<CompletableFuture<List<AutoUpdater.Claim>>> replicas = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            replicas.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return claim();
            }, pool));
        }
        List<AutoUpdater.Claim> firstClaims = replicas.get(0).get();
        List<AutoUpdater.Claim> secondClaims = replicas.get(1).get();
        Set<UUID> first = ids(firstClaims);
        Set<UUID> second = ids(secondClaims);
        pool.shutdown();
        Set<UUID> both = new HashSet<>(first);
        both.retainAll(second);
        assertTrue(both.isEmpty(), "claimed twice: " + both);
        Set<UUID> claimed = new HashSet<>(first);
        claimed.addAll(second);
        claimed.retainAll(mine);
        assertEquals(mine, claimed, "every due image is claimed by one of the two");

        // nobody released them (as if both replicas died): still leased, so not claimed again ...
        assertFalse(ids(claim()).stream().anyMatch(mine::contains));
        // ... until the lease runs out
        UUID one = mine.iterator().next();
        AutoUpdater.Claim dead = claimOf(first.contains(one) ? firstClaims : secondClaims, one);
        expireLease(one);
        AutoUpdater.Claim taken = claimOf(claim(), one);
        // the replica whose lease ran out comes back late: its release must not undo the new claim
        assertEquals(0, tenancy.callAsSystem(() -> updater.release(dead, 60L, 0)));
        assertFalse(ids(claim()).contains(one), "a late release freed an image another replica holds");
        assertEquals(1, tenancy.callAsSystem(() -> updater.release(taken, 60L, 0)));
    }

    private static AutoUpdater.Claim claimOf(List<AutoUpdater.Claim> claims, UUID id) {
        return claims.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    /** One replica's claim round, as the scheduler runs it: as the system, across companies. */
    private List<AutoUpdater.Claim> claim() {
        return tenancy.callAsSystem(updater::claimDue);
    }

    private static Set<UUID> ids(List<AutoUpdater.Claim> claims) {
        Set<UUID> ids = new HashSet<>();
        claims.forEach(c -> ids.add(c.id()));
        return ids;
    }

    @Transactional
    void makeDue(UUID id) {
        em.createNativeQuery("update container_images set next_check_at = now() - interval '1 minute' where id = ?1")
                .setParameter(1, id).executeUpdate();
    }

    @Transactional
    void expireLease(UUID id) {
        em.createNativeQuery("update container_images set lease_until = now() - interval '1 second' where id = ?1")
                .setParameter(1, id).executeUpdate();
    }
}
