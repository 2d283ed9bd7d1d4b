package io.berth.application;

import java.util.Map;
import java.util.regex.Pattern;

import io.berth.api.ApiException;

/** The value rules of an application that Bean Validation cannot express, and its defaults. */
final class ApplicationRules {

    /** Millicores. */
    static final int DEFAULT_CPU = 250;
    /** MiB. */
    static final int DEFAULT_MEMORY = 256;
    /** GiB. */
    static final int DEFAULT_STORAGE = 0;
    static final int DEFAULT_PORT = 8080;
    /** So that name + "-" + 6 characters is a DNS-1123 label (RFC 1123, as Kubernetes uses it) of at most 63. */
    static final int MAX_NAME = 56;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** POSIX portable names, as Kubernetes' container env names are mostly written. */
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_ENV_VARS = 200;
    private static final int MAX_ENV_VALUE = 32_768;

    private ApplicationRules() {
    }

    /** @throws ApiException 400 on {@code name} unless it is a DNS-1123 label of at most {@value #MAX_NAME} */
    static String validName(String name) {
        if (name == null || name.length() > MAX_NAME || !DNS_LABEL.matcher(name).matches()) {
            throw ApiException.validation("name", "name must be a DNS-1123 label of at most " + MAX_NAME
                    + " characters: lower-case letters, digits and '-', starting and ending with a letter or digit.",
                    "e.g. my-web-app. The hostname adds a dash and 6 characters, and must stay within 63.");
        }
        return name;
    }

    /**
     * Null is no variables. At most {@value #MAX_ENV_VARS}; names {@code [A-Za-z_][A-Za-z0-9_]*} of at
     * most 255, values strings of at most {@value #MAX_ENV_VALUE} characters.
     *
     * @throws ApiException 400 on {@code environmentVariables.<name>}
     */
    static Map<String, String> validVariables(Map<String, String> variables) {
        if (variables == null) {
            return Map.of();
        }
        if (variables.size() > MAX_ENV_VARS) {
            throw ApiException.validation("environmentVariables", "At most " + MAX_ENV_VARS + " environment variables.", null);
        }
        variables.forEach((key, value) -> {
            if (!ENV_NAME.matcher(key).matches() || key.length() > 255) {
                throw ApiException.validation("environmentVariables." + key, "\"" + key
                        + "\" is not a valid environment variable name.", "Names match [A-Za-z_][A-Za-z0-9_]*.");
            }
            if (value == null || value.length() > MAX_ENV_VALUE) {
                throw ApiException.validation("environmentVariables." + key, "The value of " + key
                        + " must be a string of at most " + MAX_ENV_VALUE + " characters.", null);
            }
        });
        return variables;
    }
}
