package io.berth.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same raw-socket tests against the packaged application (jar here, native binary with -Dnative). */
@QuarkusIntegrationTest
class HttpLimitsIT extends HttpLimitsTest {
}
