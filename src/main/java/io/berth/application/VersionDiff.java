package io.berth.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.berth.application.ApplicationDtos.Snapshot;

/**
 * What a new version of an application changed, as the history's {@code changes} list names it:
 * the wire names of the groups that differ, in this order: {@code name}, {@code source.image}
 * (name, tag or pinned digest), {@code source.containerRegistryId}, {@code resources} (cpu, memory
 * or storage), {@code port}, {@code environmentVariables}. An empty list means nothing changed.
 */
final class VersionDiff {

    private VersionDiff() {
    }

    /** A new, modifiable list (the caller may prepend a note such as "restored from 3"). */
    static List<String> changes(Snapshot before, Snapshot after) {
        List<String> changes = new ArrayList<>();
        if (!before.name().equals(after.name())) {
            changes.add("name");
        }
        if (!before.imageName().equals(after.imageName()) || !before.imageTag().equals(after.imageTag())
                || !before.imageDigest().equals(after.imageDigest())) {
            changes.add("source.image");
        }
        if (!Objects.equals(before.containerRegistryId(), after.containerRegistryId())) {
            changes.add("source.containerRegistryId");
        }
        if (before.cpu() != after.cpu() || before.memory() != after.memory() || before.storage() != after.storage()) {
            changes.add("resources");
        }
        if (before.port() != after.port()) {
            changes.add("port");
        }
        if (!before.environmentVariables().equals(after.environmentVariables())) {
            changes.add("environmentVariables");
        }
        return changes;
    }
}
