package io.berth.update;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same HTTP-only rollout tests against the packaged application (jar here, native binary with -Dnative). */
@QuarkusIntegrationTest
class RolloutIT extends RolloutTest {
}
