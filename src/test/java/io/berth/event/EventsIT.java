package io.berth.event;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The change-feed tests against the packaged application (jar here, native binary with -Dnative). */
@QuarkusIntegrationTest
class EventsIT extends EventsTest {
}
