package io.berth.application;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.berth.application.ApplicationDtos.Snapshot;

/** The history's {@code changes}: which groups of fields a new version changed. */
class VersionDiffTest {

    private static final Snapshot BASE = new Snapshot("web", "nginx", "1.25", "sha256:" + "a".repeat(64), null,
            250, 256, 0, 8080, Map.of("A", "1"), false);

    private static Snapshot with(String name, String tag, String digest, UUID connection, int memory, int port,
            Map<String, String> variables) {
        return new Snapshot(name, "nginx", tag, digest, connection, 250, memory, 0, port, variables, false);
    }

    @Test
    void anEqualStateChangesNothing() {
        assertEquals(List.of(), VersionDiff.changes(BASE, with("web", "1.25", BASE.imageDigest(), null, 256, 8080,
                Map.of("A", "1"))));
    }

    @Test
    void eachGroupIsNamedOnceInTheOrderOfTheView() {
        Snapshot after = with("api", "1.26", "sha256:" + "b".repeat(64), UUID.randomUUID(), 512, 9090, Map.of());
        assertEquals(List.of("name", "source.image", "source.containerRegistryId", "resources", "port",
                "environmentVariables"), VersionDiff.changes(BASE, after));
    }

    @Test
    void aNewDigestUnderTheSameTagIsAnImageChange() {
        // a re-pushed tag: what runs changes although name and tag read the same
        assertEquals(List.of("source.image"), VersionDiff.changes(BASE, with("web", "1.25", "sha256:" + "c".repeat(64),
                null, 256, 8080, Map.of("A", "1"))));
    }

    @Test
    void aChangedVariableValueIsAVariablesChange() {
        assertEquals(List.of("environmentVariables"), VersionDiff.changes(BASE, with("web", "1.25", BASE.imageDigest(),
                null, 256, 8080, Map.of("A", "2"))));
    }

    @Test
    void theListCanTakeANote() {
        List<String> changes = VersionDiff.changes(BASE, with("web", "1.25", BASE.imageDigest(), null, 128, 8080,
                Map.of("A", "1")));
        changes.add(0, "restored from 1");
        assertEquals(List.of("restored from 1", "resources"), changes);
    }
}
