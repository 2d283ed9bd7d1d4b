package io.berth.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.berth.hook.Notifications.Headers;
import io.berth.hook.Notifications.Notification;
import io.berth.hook.Notifications.Push;

/** Detection and reading of each registry's notification, and the secret checks (pure units). */
class NotificationsTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final Instant AT = Instant.parse("2026-03-04T05:06:07Z");

    private static Notification parse(String contentType, String githubEvent, String body) {
        return Notifications.parse(new Headers(contentType, githubEvent, githubEvent == null ? null : "delivery-1"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void distributionKeepsTaggedManifestPushesOnly() {
        Notification n = parse(HookSamples.DISTRIBUTION_TYPE, null, HookSamples.distribution("team/app", "1.2.3", DIGEST, AT));
        assertEquals(HookSource.DISTRIBUTION, n.source());
        assertEquals(List.of(new Push("team/app", "1.2.3", DIGEST, AT)), n.pushes(), "the blob push and the pull are no pushes");
        assertNull(n.sentAt());
        // detected by shape as well, whatever the content type
        assertEquals(HookSource.DISTRIBUTION, parse("application/json", null,
                HookSamples.distribution("team/app", "1.2.3", DIGEST, AT)).source());
    }

    @Test
    void dockerHubNamesTagAndTimeButNoDigest() {
        Notification n = parse("application/json", null, HookSamples.dockerHub("team/app", "2.0", AT));
        assertEquals(HookSource.DOCKER_HUB, n.source());
        assertEquals(List.of(new Push("team/app", "2.0", null, null)), n.pushes());
        assertEquals(AT, n.sentAt());
    }

    @Test
    void githubPackageEventsAndPings() {
        Notification n = parse("application/json", "package", HookSamples.github("team/app", "1.0.1", DIGEST));
        assertEquals(HookSource.GITHUB, n.source());
        assertEquals(List.of(new Push("team/app", "1.0.1", DIGEST, null)), n.pushes());
        assertEquals("delivery-1", n.deliveryId());
        Notification ping = parse("application/json", "ping", HookSamples.GITHUB_PING);
        assertEquals(HookSource.GITHUB, ping.source());
        assertTrue(ping.pushes().isEmpty());
        // an upper-case package name is read as GHCR stores it: lower case
        Notification upper = parse("application/json", "registry_package",
                HookSamples.github("Team/App", "1.0.1", DIGEST).replace("\"package\":", "\"registry_package\":"));
        assertEquals("team/app", upper.pushes().get(0).repository());
    }

    @Test
    void harborPushArtifactWithItsTime() {
        Notification n = parse("application/json", null, HookSamples.harbor("project/app", "v3", DIGEST, AT));
        assertEquals(HookSource.HARBOR, n.source());
        assertEquals(List.of(new Push("project/app", "v3", DIGEST, null)), n.pushes());
        assertEquals(AT, n.sentAt());
        Notification deleted = parse("application/json", null,
                HookSamples.harbor("project/app", "v3", DIGEST, AT).replace("PUSH_ARTIFACT", "DELETE_ARTIFACT"));
        assertTrue(deleted.pushes().isEmpty());
    }

    @Test
    void quayUpdatedTags() {
        Notification n = parse("application/json", null, HookSamples.quay("org/app", "latest", "4.1"));
        assertEquals(HookSource.QUAY, n.source());
        assertEquals(List.of(new Push("org/app", "latest", null, null), new Push("org/app", "4.1", null, null)), n.pushes());
    }

    @Test
    void unknownShapesAndNonJsonAreRefused() {
        assertThrows(Notifications.UnknownPayload.class, () -> parse("application/json", null, "{\"hello\": \"world\"}"));
        assertThrows(Notifications.UnknownPayload.class, () -> parse("text/plain", null, "push happened"));
        assertThrows(Notifications.UnknownPayload.class, () -> parse("application/json", null, "[1, 2]"));
    }

    @Test
    void unreadableTimesCountAsTooOldNotAsFresh() {
        Notification n = parse(HookSamples.DISTRIBUTION_TYPE, null,
                HookSamples.distribution("team/app", "1", DIGEST, AT).replace(AT.toString(), "yesterday"));
        assertEquals(Instant.EPOCH, n.pushes().get(0).at());
    }

    @Test
    void secretsAreCheckedInEachForm() {
        String secret = "bhk_test-secret";
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + HexFormat.of().formatHex(HookAuth.hmac(secret, body));
        assertTrue(HookAuth.authentic(secret, new HookAuth.Presented(signature, null, null), body));
        assertTrue(HookAuth.authentic(secret, new HookAuth.Presented(signature.toUpperCase().replace("SHA256=", "sha256="),
                null, null), body), "hex case does not matter");
        assertFalse(HookAuth.authentic(secret, new HookAuth.Presented(signature, null, null),
                "{\"a\":2}".getBytes(StandardCharsets.UTF_8)), "another body");
        assertFalse(HookAuth.authentic(secret, new HookAuth.Presented("sha256=00", "Bearer " + secret, secret), body),
                "a signature header is the only credential looked at");
        assertTrue(HookAuth.authentic(secret, new HookAuth.Presented(null, "Bearer " + secret, null), body));
        assertTrue(HookAuth.authentic(secret, new HookAuth.Presented(null, "bearer " + secret, null), body));
        assertTrue(HookAuth.authentic(secret, new HookAuth.Presented(null, secret, null), body), "Harbor's bare auth header");
        assertTrue(HookAuth.authentic(secret, new HookAuth.Presented(null, null, secret), body), "URL token");
        assertFalse(HookAuth.authentic(secret, new HookAuth.Presented(null, "Bearer wrong", secret), body),
                "an Authorization header wins over the URL token");
        assertFalse(HookAuth.authentic(secret, new HookAuth.Presented(null, null, null), body));
        assertFalse(HookAuth.authentic(secret, new HookAuth.Presented(null, null, secret + "x"), body));
    }
}
