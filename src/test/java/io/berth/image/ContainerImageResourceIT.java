package io.berth.image;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same HTTP-only tests against the packaged application (jar here, native binary with -Dnative). */
@QuarkusIntegrationTest
class ContainerImageResourceIT extends ContainerImageResourceTest {
}
