package io.berth.idempotency;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same HTTP-only tests against the packaged application (jar here, native binary with -Dnative). */
@QuarkusIntegrationTest
class IdempotencyIT extends IdempotencyTest {
}
