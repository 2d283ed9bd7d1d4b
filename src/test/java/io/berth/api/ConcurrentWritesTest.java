package io.berth.api;

import static io.berth.testsupport.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.berth.testsupport.Api;
import io.berth.testsupport.Registries;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * A PATCH without If-Match asks for its change to be applied, whatever else happens at the same
 * time: concurrent PATCHes of one resource are applied one after the other, none answers 409, and
 * the version grows by one per PATCH. (Found by the throughput benchmark: 52 of 64 concurrent
 * PATCHes of one environment answered 409.)
 */
@QuarkusTest
class ConcurrentWritesTest {

    private static final int WRITERS = 8;
    private static final int PATCHES = 24;

    private final String admin = Tokens.admin(Api.newCompany());

    @Test
    void concurrentPatchesOfAnEnvironmentAreAllApplied() throws Exception {
        String id = Api.createEnvironment(admin, "busy");
        assertAllApplied("/api/environments/" + id, i -> Map.of("description", "d" + i));
    }

    @Test
    void concurrentPatchesOfARegistryConnectionAreAllApplied() throws Exception {
        String id = as(admin).body(Map.of("name", "busy", "registryUrl", Registries.ANONYMOUS.host(), "insecure", true))
                .post("/api/registries").then().statusCode(201).extract().path("id");
        assertAllApplied("/api/registries/" + id, i -> Map.of("refreshIntervalMinutes", 10 + i));
    }

    private void assertAllApplied(String path, IntFunction<Map<String, Object>> patch) throws Exception {
        int before = as(admin).get(path).then().statusCode(200).extract().path("version");
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < PATCHES; i++) {
                int n = i;
                statuses.add(pool.submit(() -> as(admin).contentType("application/merge-patch+json")
                        .body(patch.apply(n)).patch(path).statusCode()));
            }
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get());
            }
            assertEquals(List.of(200), answered.stream().distinct().toList(), "every PATCH is applied: " + answered);
        } finally {
            pool.shutdown();
        }
        int after = as(admin).get(path).then().statusCode(200).extract().path("version");
        assertEquals(before + PATCHES, after, "one version per PATCH");
    }
}
