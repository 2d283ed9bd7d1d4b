package io.berth.environment;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same HTTP-only tests against the packaged application (jar here, native binary with -Dnative). */
@QuarkusIntegrationTest
class EnvironmentResourceIT extends EnvironmentResourceTest {
}
