package io.berth.hook;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The real registry's notification against the packaged application (jar here, native binary with -Dnative). */
@QuarkusIntegrationTest
@TestProfile(HookProfile.class)
class RegistryNotificationsIT extends RegistryNotificationsTest {
}
