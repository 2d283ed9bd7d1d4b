package io.berth.webhook;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The webhook tests against the packaged application (jar here, native binary with -Dnative). */
@QuarkusIntegrationTest
class WebhooksIT extends WebhooksTest {
}
