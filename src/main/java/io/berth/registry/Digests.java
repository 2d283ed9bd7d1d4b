package io.berth.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import io.berth.registry.RegistryException.Kind;

/**
 * Digests a registry names or serves, checked before use (OCI image-spec, descriptor.md
 * "Digests": {@code algorithm ":" encoded}; Berth verifies the registered sha256 and sha512).
 */
final class Digests {

    private static final Pattern SHA512 = Pattern.compile("sha512:[a-f0-9]{128}");

    private Digests() {
    }

    /**
     * A digest from a registry that Berth can use and verify: the OCI digest grammar with
     * algorithm sha256 (64 lower-case hex digits) or sha512 (128); null for anything else, which
     * then counts as missing.
     */
    static String usable(String digest) {
        if (digest == null || !(digest.startsWith("sha256:") || SHA512.matcher(digest).matches())) {
            return null;
        }
        try {
            return ImageReference.validDigest(digest);
        } catch (ImageReference.InvalidReferenceException e) {
            return null;
        }
    }

    /**
     * A digest named inside a manifest (index entry, config): {@link #usable}, else
     * INVALID_RESPONSE naming {@code what} of {@code ref}.
     */
    static String named(String digest, ImageReference ref, String what) {
        String usable = usable(digest);
        if (usable == null) {
            throw new RegistryException(Kind.INVALID_RESPONSE, "The manifest of " + ref.familiarName() + " names "
                    + what + " by \"" + digest + "\", which is not a sha256 or sha512 digest.");
        }
        return usable;
    }

    /** The bytes' digest in the algorithm of {@code like}: sha512 for {@code sha512:...}, else sha256. */
    static String of(byte[] bytes, String like) {
        boolean sha512 = like.startsWith("sha512:");
        try {
            MessageDigest digest = MessageDigest.getInstance(sha512 ? "SHA-512" : "SHA-256");
            return (sha512 ? "sha512:" : "sha256:") + HexFormat.of().formatHex(digest.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 and SHA-512 are part of every JVM", e);
        }
    }

    /** {@code sha256:<64 hex digits>} of the bytes. */
    static String sha256(byte[] bytes) {
        return of(bytes, "sha256:");
    }
}
