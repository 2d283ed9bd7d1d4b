package io.berth.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Binds a request body read as a JSON tree to a DTO record: read-only fields first (422, naming
 * every offender), then shape and types (400 with the field), then Bean Validation (400). Keeping
 * the tree also tells a PATCH which fields were present, and which were explicitly null.
 */
@ApplicationScoped
public class JsonBodies {

    private final ObjectMapper mapper;
    private final Validator validator;

    public JsonBodies(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    /** A bound body plus which fields the client sent (explicit nulls included). */
    public record Bound<T>(T value, Set<String> present, JsonNode tree) {
        /** @param field a top-level name, or a dotted path such as source.containerRegistryId */
        public boolean has(String field) {
            return field.contains(".") ? !tree.at("/" + field.replace('.', '/')).isMissingNode() : present.contains(field);
        }
    }

    /**
     * Binds a creation body.
     *
     * @param readOnlyHints read-only and create-only field names (dotted for nested ones), each with
     *                      the hint that says how to change it instead
     */
    public <T> Bound<T> bind(JsonNode body, Class<T> type, Map<String, String> readOnlyHints) {
        return bind(body, type, readOnlyHints, "");
    }

    /** Binds a PATCH body: as {@link #bind}, and the read-only message says "via PATCH". */
    public <T> Bound<T> patch(JsonNode body, Class<T> type, Map<String, String> readOnlyHints) {
        return bind(body, type, readOnlyHints, " via PATCH");
    }

    private <T> Bound<T> bind(JsonNode body, Class<T> type, Map<String, String> readOnlyHints, String how) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw ApiException.validation(null, "A JSON object is required as the request body.", null);
        }
        if (!body.isObject()) {
            throw ApiException.validation(null, "The request body must be a JSON object.", null);
        }
        Set<String> present = new LinkedHashSet<>();
        body.fieldNames().forEachRemaining(present::add);
        List<String> readOnly = new ArrayList<>();
        for (String name : present) {
            if (readOnlyHints.containsKey(name)) {
                readOnly.add(name);
            }
        }
        for (String path : readOnlyHints.keySet()) { // nested ones: source.image.digest
            if (path.contains(".") && !body.at("/" + path.replace('.', '/')).isMissingNode()) {
                readOnly.add(path);
            }
        }
        if (!readOnly.isEmpty()) {
            String first = readOnly.get(0);
            String names = String.join(", ", readOnly.stream().map(f -> "\"" + f + "\"").toList());
            String message = readOnly.size() == 1
                    ? "Field " + names + " is read-only and cannot be set" + how + "."
                    : "Fields " + names + " are read-only and cannot be set" + how + ".";
            throw new ApiException(ErrorCode.READONLY_FIELD, message, first, readOnlyHints.get(first));
        }
        T value;
        try {
            value = mapper.treeToValue(body, type);
        } catch (JsonProcessingException e) {
            throw ExceptionMappers.jsonError(e);
        }
        var violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return new Bound<>(value, Set.copyOf(present), body);
    }
}
