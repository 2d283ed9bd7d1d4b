package io.berth.idempotency;

import static io.berth.testsupport.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** A second request with a key whose first request is still running (a slow test-only route). */
@QuarkusTest
class IdempotencyConcurrencyTest {

    private final String admin = Tokens.admin(Api.newCompany());

    @Test
    void aKeyStillRunningIs409() {
        String key = UUID.randomUUID().toString();
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> as(admin).header("Idempotency-Key", key).body("{\"n\":1}")
                    .post("/test-only/slow").then().extract().statusCode()));
            sleep(300);
        }
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).sorted().toList();
        assertEquals(List.of(200, 409), statuses);
        as(admin).header("Idempotency-Key", key).body("{\"n\":1}").post("/test-only/slow")
                .then().statusCode(200).header("Idempotent-Replayed", "true");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
