package io.berth.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Binds a request body read as a JSON tree to a DTO record: read-only fields first (422, naming
 * every offender), then shape and types (400 with the field), then Bean Validation (400).
 *
 * <p>A PATCH (and the application's partial PUT) is not bound on its own: {@link #merge} applies it
 * to the resource's current view as a JSON Merge Patch (RFC 7396, {@link MergePatch}) with the
 * resource's {@link PatchRules}, and binds and validates the merged result once, as a creation
 * body. Services so receive a whole, valid record and never see which fields a client sent.
 */
@ApplicationScoped
public class JsonBodies {

    private final ObjectMapper mapper;
    private final Validator validator;

    public JsonBodies(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    /**
     * Binds a creation body.
     *
     * @param readOnlyHints read-only and create-only field names (dotted for nested ones), each with
     *                      the hint that says how to change it instead
     * @throws ApiException 400 when the body is not a JSON object or a value has the wrong type,
     *                      422 READONLY_FIELD naming every read-only field present
     * @throws ConstraintViolationException when Bean Validation refuses the bound record (400)
     */
    public <T> T bind(JsonNode body, Class<T> type, Map<String, String> readOnlyHints) {
        refuse(body, readOnlyHints, "");
        return validated(body, type);
    }

    /**
     * Binds a PATCH body that is a command rather than a merge patch (PATCH .../image): as
     * {@link #bind}, and the read-only message says "via PATCH".
     */
    public <T> T bindPatch(JsonNode body, Class<T> type, Map<String, String> readOnlyHints) {
        refuse(body, readOnlyHints, " via PATCH");
        return validated(body, type);
    }

    /**
     * The checks of a merge patch that need no current state: a JSON object (400) without any
     * read-only or create-only field (422). A resource calls it before it loads the resource, so
     * that these answers come before a 404; {@link #merge} makes them again.
     *
     * @return {@code patch}
     */
    public JsonNode checkPatch(JsonNode patch, PatchRules rules) {
        refuse(patch, rules.refused(), " via PATCH");
        return patch;
    }

    /**
     * Applies a merge patch to a resource's current view and binds the result.
     *
     * <ol>
     * <li>{@link #checkPatch}: 400 unless a JSON object, 422 for a read-only or create-only field;</li>
     * <li>the view, as JSON, without its read-only fields (create-only ones stay), is the target;
     * nulls at {@link PatchRules#nullKeeps} paths and at {@link PatchRules#required} fields are taken
     * out of the patch;</li>
     * <li>RFC 7396 merge; {@link PatchRules#replaced} fields take the patch's value whole;</li>
     * <li>binding (400 naming the field of a wrong type or an unknown field) and Bean Validation
     * of {@code type} (400), as for a creation body;</li>
     * <li>an explicit null of a required field: 400 "&lt;field&gt; cannot be null." with its hint.</li>
     * </ol>
     *
     * Write-only fields (secrets) are not in the view: the patch's value, if any, is in the result,
     * and a resource that must tell "absent" from {@code null} asks the patch.
     *
     * @param current the resource's view as answered to a GET (serialized with the API's mapper)
     * @param type    the record to bind, normally the creation record
     */
    public <T> T merge(JsonNode patch, Object current, Class<T> type, PatchRules rules) {
        checkPatch(patch, rules);
        ObjectNode target = mapper.valueToTree(current);
        rules.refused().keySet().stream().filter(field -> !rules.createOnly().contains(field))
                .forEach(field -> remove(target, field, false));
        ObjectNode effective = patch.deepCopy();
        List<String> nulled = new ArrayList<>();
        for (String field : rules.required().keySet()) {
            if (remove(effective, field, true)) {
                nulled.add(field);
            }
        }
        rules.nullKeeps().forEach(path -> remove(effective, path, true));
        ObjectNode merged = (ObjectNode) MergePatch.apply(target, effective);
        for (String field : rules.replaced()) {
            if (effective.has(field)) {
                merged.set(field, effective.get(field).deepCopy());
            }
        }
        T value = validated(merged, type);
        if (!nulled.isEmpty()) {
            String field = nulled.get(0);
            throw ApiException.validation(field, field + " cannot be null.", rules.required().get(field));
        }
        return value;
    }

    /** Removes the member at a dotted path (only if it is JSON null, when asked); true if removed. */
    private static boolean remove(ObjectNode root, String path, boolean onlyNull) {
        String[] names = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < names.length - 1; i++) {
            parent = parent.get(names[i]);
            if (parent == null || !parent.isObject()) {
                return false;
            }
        }
        String last = names[names.length - 1];
        JsonNode value = parent.get(last);
        if (value == null || (onlyNull && !value.isNull())) {
            return false;
        }
        ((ObjectNode) parent).remove(last);
        return true;
    }

    private static void refuse(JsonNode body, Map<String, String> readOnlyHints, String how) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw ApiException.validation(null, "A JSON object is required as the request body.", null);
        }
        if (!body.isObject()) {
            throw ApiException.validation(null, "The request body must be a JSON object.", null);
        }
        List<String> readOnly = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (readOnlyHints.containsKey(name)) {
                readOnly.add(name);
            }
        });
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
    }

    private <T> T validated(JsonNode body, Class<T> type) {
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
        return value;
    }
}
