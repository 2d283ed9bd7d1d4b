package io.berth.update;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same HTTP-only approval tests against the packaged application (jar here, native binary with -Dnative). */
@QuarkusIntegrationTest
class ApprovalsIT extends ApprovalsTest {
}
