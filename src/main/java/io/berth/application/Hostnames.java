package io.berth.application;

import java.security.SecureRandom;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.berth.api.ApiException;
import io.berth.api.ErrorCode;

/**
 * Hostnames of applications: the name made a DNS-1123 label, a dash and 6 random characters of
 * {@code [a-z0-9]} (at most 63 characters), unique across all companies (a unique index decides
 * races; {@link #isCollision} recognises its violation).
 */
@ApplicationScoped
public class Hostnames {

    private static final char[] HOST_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final ApplicationRepository applications;
    private final SecureRandom random = new SecureRandom();

    public Hostnames(ApplicationRepository applications) {
        this.applications = applications;
    }

    /**
     * A fresh hostname for {@code name} (any text; "app" when nothing of it is usable), not used
     * by any application now.
     *
     * @throws ApiException 409 when 10 random suffixes were all taken
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String generate(String name) {
        String base = name == null ? "app" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+", "");
        if (base.length() > ApplicationRules.MAX_NAME) {
            base = base.substring(0, ApplicationRules.MAX_NAME);
        }
        base = base.replaceAll("-+$", "");
        if (base.isEmpty()) {
            base = "app";
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            StringBuilder hostname = new StringBuilder(base).append('-');
            for (int i = 0; i < 6; i++) {
                hostname.append(HOST_CHARS[random.nextInt(HOST_CHARS.length)]);
            }
            if (!applications.hostnameTaken(hostname.toString())) {
                return hostname.toString();
            }
        }
        throw new ApiException(ErrorCode.CONFLICT, "No free hostname was found for \"" + base + "\".", "name",
                "Try again, or choose a more distinctive name.");
    }

    /** True when {@code e} is the unique index refusing a hostname another insert took first. */
    static boolean isCollision(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("applications_hostname_uq")) {
                return true;
            }
        }
        return false;
    }
}
