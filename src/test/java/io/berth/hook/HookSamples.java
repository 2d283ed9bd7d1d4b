package io.berth.hook;

import java.time.Instant;

/**
 * Notifications in the shapes registries send them, written for these tests from each registry's
 * documented payload (neutral names; the fields Berth reads plus the usual company of others).
 */
final class HookSamples {

    private HookSamples() {
    }

    static final String DISTRIBUTION_TYPE = "application/vnd.docker.distribution.events.v1+json";

    /** CNCF Distribution: an envelope of one manifest push, one blob push and one pull. */
    static String distribution(String repository, String tag, String digest, Instant at) {
        return """
                {"events": [
                  {"id": "5d1c2a8e-7f37-4a8b-9b7a-0c1d2e3f4a5b", "timestamp": "%4$s", "action": "push",
                   "target": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 428, "digest": "%3$s",
                     "length": 428, "repository": "%1$s", "url": "http://registry.example:5000/v2/%1$s/manifests/%3$s",
                     "tag": "%2$s"},
                   "request": {"id": "b7c0e0f4", "addr": "10.0.0.7:52544", "host": "registry.example:5000",
                     "method": "PUT", "useragent": "containers/5.0 (github.com/containers/image)"},
                   "actor": {}, "source": {"addr": "registry-0:5000", "instanceID": "3b1f0c9e"}},
                  {"id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "timestamp": "%4$s", "action": "push",
                   "target": {"mediaType": "application/octet-stream", "size": 1024,
                     "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
                     "length": 1024, "repository": "%1$s",
                     "url": "http://registry.example:5000/v2/%1$s/blobs/sha256:1111111111111111111111111111111111111111111111111111111111111111"},
                   "request": {"id": "c8d1", "method": "PUT"}, "actor": {}, "source": {"addr": "registry-0:5000"}},
                  {"id": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "timestamp": "%4$s", "action": "pull",
                   "target": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%3$s",
                     "repository": "%1$s", "tag": "%2$s"},
                   "request": {"id": "d9e2", "method": "GET"}, "actor": {}, "source": {"addr": "registry-0:5000"}}
                ]}""".formatted(repository, tag, digest, at);
    }

    /** Docker Hub repository webhook. */
    static String dockerHub(String repository, String tag, Instant pushedAt) {
        String[] parts = repository.split("/", 2);
        return """
                {"callback_url": "https://registry.hub.docker.com/u/%1$s/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/",
                 "push_data": {"images": [], "pushed_at": %3$d, "pusher": "ci-robot", "tag": "%2$s"},
                 "repository": {"comment_count": 0, "date_created": 1700000000, "description": "", "dockerfile": "",
                   "full_description": "", "is_official": false, "is_private": true, "is_trusted": false,
                   "name": "%5$s", "namespace": "%4$s", "owner": "%4$s", "repo_name": "%1$s",
                   "repo_url": "https://hub.docker.com/r/%1$s", "star_count": 0, "status": "Active"}}"""
                .formatted(repository, tag, pushedAt.getEpochSecond(), parts[0], parts[1]);
    }

    /** GitHub {@code package} event (GHCR), action published. */
    static String github(String repository, String tag, String digest) {
        String[] parts = repository.split("/", 2);
        return """
                {"action": "published",
                 "package": {"id": 4242, "name": "%5$s", "namespace": "%4$s", "description": "",
                   "ecosystem": "CONTAINER", "package_type": "CONTAINER",
                   "html_url": "https://github.com/%4$s/packages/container/package/%5$s",
                   "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-02T00:00:00Z",
                   "owner": {"login": "%4$s", "id": 1, "type": "Organization"},
                   "package_version": {"id": 777, "version": "%3$s", "name": "%3$s", "summary": "",
                     "container_metadata": {"tag": {"name": "%2$s", "digest": "%3$s"},
                       "labels": {}, "manifest": {}},
                     "package_url": "ghcr.io/%1$s:%2$s",
                     "created_at": "2026-01-02T00:00:00Z", "updated_at": "2026-01-02T00:00:00Z"},
                   "registry": {"about_url": "https://docs.github.com/packages", "name": "GitHub CONTAINER registry",
                     "type": "CONTAINER", "url": "https://ghcr.io/%4$s", "vendor": "GitHub Inc"}},
                 "repository": {"id": 99, "name": "%5$s", "full_name": "%1$s", "private": true},
                 "organization": {"login": "%4$s", "id": 1},
                 "sender": {"login": "ci-robot", "id": 2, "type": "User"}}"""
                .formatted(repository, tag, digest, parts[0], parts[1]);
    }

    /** GitHub's ping, sent when a webhook is created. */
    static final String GITHUB_PING = """
            {"zen": "Keep it logically awesome.", "hook_id": 123, "hook": {"type": "Organization", "id": 123,
             "active": true, "events": ["package"], "config": {"content_type": "json", "url": "https://berth.example/"}}}""";

    /** Harbor policy webhook, PUSH_ARTIFACT. */
    static String harbor(String repository, String tag, String digest, Instant occurAt) {
        String[] parts = repository.split("/", 2);
        return """
                {"type": "PUSH_ARTIFACT", "occur_at": %3$d, "operator": "robot$ci",
                 "event_data": {
                   "resources": [{"digest": "%5$s", "tag": "%2$s", "resource_url": "harbor.example/%1$s:%2$s"}],
                   "repository": {"date_created": 1700000000, "name": "%6$s", "namespace": "%4$s",
                     "repo_full_name": "%1$s", "repo_type": "private"}}}"""
                .formatted(repository, tag, occurAt.getEpochSecond(), parts[0], digest, parts[1]);
    }

    /** Quay repository push notification. */
    static String quay(String repository, String... tags) {
        String[] parts = repository.split("/", 2);
        return """
                {"name": "%3$s", "repository": "%1$s", "namespace": "%2$s",
                 "docker_url": "quay.example/%1$s", "homepage": "https://quay.example/repository/%1$s",
                 "updated_tags": [%4$s]}"""
                .formatted(repository, parts[0], parts[1], String.join(", ", java.util.Arrays.stream(tags)
                        .map(t -> "\"" + t + "\"").toList()));
    }
}
