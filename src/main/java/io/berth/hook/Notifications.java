package io.berth.hook;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a registry notification: which registry sent it (from its headers and shape) and which
 * repository:tag pushes it names. Pure: no trust is given here, the caller authenticates first and
 * confirms every push at the registry later. The shapes, as the registries document them:
 * <ul>
 * <li>Distribution: {@code Content-Type: application/vnd.docker.distribution.events.v1+json} (or an
 * {@code events} array), each event {@code action}, {@code timestamp} (RFC 3339), {@code target}
 * {@code repository}, {@code tag}, {@code digest}; only {@code push} events with a tag count
 * (pushes by digest, blobs and pulls do not). Source: distribution/notifications/event.go.</li>
 * <li>GitHub: header {@code X-GitHub-Event: package} (or {@code registry_package}), {@code action}
 * {@code published}/{@code updated}, {@code package.package_version.container_metadata.tag}
 * {@code name}/{@code digest}, the repository from {@code package_version.package_url}
 * ({@code ghcr.io/owner/name:tag}) or {@code package.namespace}/{@code name}; {@code ping} and
 * other events are recognized and ignored. Source: GitHub's webhook events and payloads.</li>
 * <li>Harbor: {@code type} ({@code PUSH_ARTIFACT} counts) and {@code event_data.resources[]}
 * {@code tag}/{@code digest}, {@code event_data.repository.repo_full_name}, {@code occur_at}
 * (epoch seconds). Source: Harbor's webhook payload format.</li>
 * <li>Docker Hub: {@code push_data.tag}, {@code push_data.pushed_at} (epoch seconds),
 * {@code repository.repo_name}; no digest. Source: Docker Hub's webhook documentation.</li>
 * <li>Quay: {@code repository} ({@code namespace/name}) and {@code updated_tags[]}; no digest, no
 * time. Source: Quay's repository-push notification.</li>
 * </ul>
 */
final class Notifications {

    /** Distribution's notification media type (its envelope). */
    static final String DISTRIBUTION_TYPE = "application/vnd.docker.distribution.events.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> GITHUB_PUSH_ACTIONS = new HashSet<>(List.of("published", "updated"));
    /** GitHub's names of container packages (HashSets: contains(null) is false, not an exception). */
    private static final Set<String> CONTAINER_TYPES = new HashSet<>(List.of("container", "docker"));

    private Notifications() {
    }

    /** One pushed repository:tag as the notification names it; {@code digest} and {@code at} may be null. */
    record Push(String repository, String tag, String digest, Instant at) {
    }

    /**
     * What a notification says. {@code sentAt}: the time the whole payload carries (Harbor
     * {@code occur_at}, Docker Hub {@code pushed_at}), null when it carries none per payload.
     * {@code deliveryId}: GitHub's {@code X-GitHub-Delivery}.
     */
    record Notification(HookSource source, List<Push> pushes, Instant sentAt, String deliveryId) {
    }

    /** The headers the detection reads. */
    record Headers(String contentType, String githubEvent, String githubDelivery) {
    }

    /** Not a notification of a kind Berth knows (400). */
    static final class UnknownPayload extends RuntimeException {
        UnknownPayload(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Detects the kind and reads the pushes.
     *
     * @throws UnknownPayload for a body that is no JSON object or of no known shape
     */
    static Notification parse(Headers headers, byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new UnknownPayload("The body is not JSON.");
        }
        if (root == null || !root.isObject()) {
            throw new UnknownPayload("The body is not a JSON object.");
        }
        String type = headers.contentType() == null ? "" : headers.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith(DISTRIBUTION_TYPE) || root.path("events").isArray()) {
            return distribution(root);
        }
        if (headers.githubEvent() != null) {
            return github(headers.githubEvent(), headers.githubDelivery(), root);
        }
        if (root.path("type").isTextual() && root.path("event_data").isObject()) {
            return harbor(root);
        }
        if (root.path("push_data").isObject() && root.path("repository").path("repo_name").isTextual()) {
            return dockerHub(root);
        }
        if (root.path("updated_tags").isArray() && root.path("repository").isTextual()) {
            return quay(root);
        }
        throw new UnknownPayload("Not a registry notification Berth knows (Distribution, Docker Hub, GitHub package, "
                + "Harbor or Quay).");
    }

    private static Notification distribution(JsonNode root) {
        List<Push> pushes = new ArrayList<>();
        for (JsonNode event : root.path("events")) {
            JsonNode target = event.path("target");
            String tag = text(target, "tag");
            if ("push".equals(text(event, "action")) && tag != null && text(target, "repository") != null) {
                pushes.add(new Push(text(target, "repository"), tag, text(target, "digest"), time(text(event, "timestamp"))));
            }
        }
        return new Notification(HookSource.DISTRIBUTION, pushes, null, null);
    }

    private static Notification github(String event, String delivery, JsonNode root) {
        JsonNode pkg = root.has("package") ? root.path("package") : root.path("registry_package");
        List<Push> pushes = new ArrayList<>();
        boolean container = CONTAINER_TYPES.contains(lower(text(pkg, "package_type")))
                || CONTAINER_TYPES.contains(lower(text(pkg, "ecosystem")));
        if (("package".equals(event) || "registry_package".equals(event)) && container
                && GITHUB_PUSH_ACTIONS.contains(text(root, "action"))) {
            JsonNode version = pkg.path("package_version");
            JsonNode tag = version.path("container_metadata").path("tag");
            String name = text(tag, "name");
            String digest = text(tag, "digest");
            if (digest == null && text(version, "version") != null && text(version, "version").startsWith("sha256:")) {
                digest = text(version, "version");
            }
            String repository = githubRepository(text(version, "package_url"), pkg);
            if (name != null && repository != null) {
                pushes.add(new Push(repository, name, digest, null));
            }
        }
        return new Notification(HookSource.GITHUB, pushes, null, delivery);
    }

    /** {@code ghcr.io/owner/name:tag} → {@code owner/name}; else {@code namespace/name}, lower case as GHCR names are. */
    private static String githubRepository(String packageUrl, JsonNode pkg) {
        if (packageUrl != null && packageUrl.indexOf('/') > 0) {
            String path = packageUrl.substring(packageUrl.indexOf('/') + 1);
            int at = path.indexOf('@');
            path = at >= 0 ? path.substring(0, at) : path;
            int colon = path.lastIndexOf(':');
            path = colon > path.lastIndexOf('/') ? path.substring(0, colon) : path;
            if (!path.isEmpty()) {
                return path.toLowerCase(Locale.ROOT);
            }
        }
        String owner = text(pkg, "namespace") != null ? text(pkg, "namespace") : text(pkg.path("owner"), "login");
        String name = text(pkg, "name");
        return owner == null || name == null ? null : (owner + "/" + name).toLowerCase(Locale.ROOT);
    }

    private static Notification harbor(JsonNode root) {
        List<Push> pushes = new ArrayList<>();
        JsonNode data = root.path("event_data");
        JsonNode repo = data.path("repository");
        String repository = text(repo, "repo_full_name") != null ? text(repo, "repo_full_name")
                : text(repo, "namespace") != null && text(repo, "name") != null
                        ? text(repo, "namespace") + "/" + text(repo, "name") : null;
        if ("PUSH_ARTIFACT".equals(text(root, "type")) && repository != null) {
            for (JsonNode resource : data.path("resources")) {
                if (text(resource, "tag") != null) {
                    pushes.add(new Push(repository, text(resource, "tag"), text(resource, "digest"), null));
                }
            }
        }
        return new Notification(HookSource.HARBOR, pushes, epochSeconds(root.path("occur_at")), null);
    }

    private static Notification dockerHub(JsonNode root) {
        JsonNode data = root.path("push_data");
        String tag = text(data, "tag");
        String repository = text(root.path("repository"), "repo_name");
        List<Push> pushes = tag == null ? List.of() : List.of(new Push(repository, tag, null, null));
        return new Notification(HookSource.DOCKER_HUB, pushes, epochSeconds(data.path("pushed_at")), null);
    }

    private static Notification quay(JsonNode root) {
        String repository = text(root, "repository");
        List<Push> pushes = new ArrayList<>();
        for (JsonNode tag : root.path("updated_tags")) {
            if (tag.isTextual() && !tag.asText().isEmpty()) {
                pushes.add(new Push(repository, tag.asText(), null, null));
            }
        }
        return new Notification(HookSource.QUAY, pushes, null, null);
    }

    /** A non-empty string member, else null. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /** An RFC 3339 time, null when absent; one present but unreadable is the epoch: far too old, never fresh. */
    private static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** Seconds since the epoch; a number beyond what a time can be (or a non-number) is the epoch: never fresh. */
    private static Instant epochSeconds(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !value.canConvertToLong()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.ofEpochSecond(value.asLong());
        } catch (DateTimeException e) {
            return Instant.EPOCH;
        }
    }
}
