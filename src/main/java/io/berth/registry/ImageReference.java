package io.berth.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed, normalized image reference, {@code [host[:port]/]path[:tag][@digest]}, following the
 * distribution reference grammar: the first path segment is a host only if it contains '.' or ':',
 * is {@code localhost}, or has upper-case letters; Docker Hub's aliases become {@value #DOCKER_HUB}
 * and its one-segment names get {@code library/}.
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    /** Docker Hub's canonical name; where its API is served is {@link RegistryHost#apiHost()}. */
    public static final String DOCKER_HUB = "docker.io";

    private static final int MAX_NAME_LENGTH = 255;
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern HOST = Pattern.compile(
            "(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*"
                    + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}");
    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    /** Which part of the input was wrong, so the API can name the field. */
    public enum Part { NAME, TAG, DIGEST }

    /** Invalid reference text; the API answers 400 VALIDATION_ERROR naming the field. */
    public static final class InvalidReferenceException extends RuntimeException {
        private final Part part;
        private final String hint;

        InvalidReferenceException(Part part, String message, String hint) {
            super(message, null, false, false);
            this.part = part;
            this.hint = hint;
        }

        public Part part() {
            return part;
        }

        public String hint() {
            return hint;
        }
    }

    /** Parses a full reference, with an optional tag and digest. */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw invalidName("An image reference is required.");
        }
        String rest = text; // never trimmed: a reference is used exactly as written or refused
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = validDigest(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = validTag(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        ImageReference name = parseName(rest);
        return new ImageReference(name.registry(), name.repository(), tag, digest);
    }

    /** Parses a repository name that must carry no tag or digest ({@code nginx}, {@code ghcr.io/org/app}). */
    public static ImageReference parseName(String text) {
        if (text == null || text.isEmpty()) {
            throw invalidName("An image name is required.");
        }
        String name = text; // never trimmed: surrounding whitespace makes it invalid
        if (name.length() > MAX_NAME_LENGTH) {
            throw invalidName("The image name is longer than " + MAX_NAME_LENGTH + " characters.");
        }
        String host = DOCKER_HUB;
        String path = name;
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")
                    || !first.equals(first.toLowerCase(Locale.ROOT))) {
                host = normalizeHost(first);
                path = name.substring(slash + 1);
            }
        }
        return inRegistry(host, path, name);
    }

    /**
     * The repository {@code path} ({@code org/app}) on the registry {@code host} (already
     * normalized by {@link #normalizeHost}), for callers that know the host apart from the path:
     * unlike {@link #parseName}, a single-label host such as {@code registry} is never read as a
     * Docker Hub namespace.
     *
     * @throws InvalidReferenceException (part NAME) for a path that is no valid repository name
     */
    public static ImageReference inRegistry(String host, String path) {
        String name = host + "/" + path;
        if (name.length() > MAX_NAME_LENGTH) {
            throw invalidName("The image name is longer than " + MAX_NAME_LENGTH + " characters.");
        }
        return inRegistry(host, path, name);
    }

    private static ImageReference inRegistry(String host, String path, String name) {
        if (path.contains("@") || (path.contains(":"))) {
            throw invalidName("The image name \"" + name + "\" must not contain a tag or digest.");
        }
        if (!path.equals(path.toLowerCase(Locale.ROOT))) {
            throw invalidName("Repository names must be lower case: \"" + path + "\".");
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalidName("\"" + name + "\" is not a valid repository name.");
            }
        }
        if (host.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        return new ImageReference(host, path, null, null);
    }

    /**
     * Normalizes a registry {@code host[:port]} (the reference grammar's domain): lower case,
     * Docker Hub's aliases (index.docker.io, registry-1.docker.io, registry.hub.docker.com) to
     * {@value #DOCKER_HUB}. {@link RegistryHost} wraps the result with its API host.
     *
     * @throws InvalidReferenceException (part NAME) for null, empty or anything but a host[:port]
     *         an HTTP client can address
     */
    public static String normalizeHost(String text) {
        String host = text == null ? "" : text;
        if (!HOST.matcher(host).matches() || !reachableForm(host)) {
            throw invalidName("\"" + host + "\" is not a valid registry host[:port].");
        }
        host = host.toLowerCase(Locale.ROOT);
        return switch (host) {
            case "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> DOCKER_HUB;
            default -> host;
        };
    }

    /**
     * The reference grammar allows hosts that an HTTP client cannot address ({@code web127.0.0.1}:
     * a last label starting with a digit that is no IPv4 address; ports above 65535). Those are
     * refused here as invalid input instead of failing later inside the registry client.
     */
    private static boolean reachableForm(String host) {
        try {
            java.net.URI uri = new java.net.URI("https://" + host + "/");
            return uri.getHost() != null && uri.getPort() <= 65535;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    public static String validTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new InvalidReferenceException(Part.TAG, "\"" + tag + "\" is not a valid tag.",
                    "A tag is 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'.");
        }
        return tag;
    }

    static String validDigest(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()
                || (digest.startsWith("sha256:") && !SHA256.matcher(digest).matches())) {
            throw new InvalidReferenceException(Part.DIGEST, "\"" + digest + "\" is not a valid digest.",
                    "A digest looks like sha256:<64 lower-case hex digits>.");
        }
        return digest;
    }

    private static InvalidReferenceException invalidName(String message) {
        return new InvalidReferenceException(Part.NAME, message,
                "Use [host[:port]/]path in lower case, e.g. nginx, ghcr.io/org/app or registry.example.com:5000/team/app.");
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, validTag(newTag), null);
    }

    /**
     * The same repository at {@code newDigest} ({@code algorithm:hex}).
     *
     * @throws InvalidReferenceException (part DIGEST) for a malformed digest
     */
    public ImageReference withDigest(String newDigest) {
        return new ImageReference(registry, repository, null, validDigest(newDigest));
    }

    /** The tag or digest a manifest request names (digest wins), {@code latest} when neither. */
    public String reference() {
        return digest != null ? digest : tag != null ? tag : "latest";
    }

    /** The repository as users write it: Docker Hub names keep their short form. */
    public String familiarName() {
        if (registry.equals(DOCKER_HUB)) {
            return repository.startsWith("library/") ? repository.substring("library/".length()) : repository;
        }
        return registry + "/" + repository;
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
