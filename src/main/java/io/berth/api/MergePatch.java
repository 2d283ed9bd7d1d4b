package io.berth.api;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON Merge Patch, RFC 7396 §2: a patch object merges into the target member by member, objects
 * recursively; a {@code null} member removes that member; any other value (arrays included)
 * replaces the target's value whole; a patch that is not an object replaces the whole target.
 * Pure: neither argument is changed, the result shares no mutable node with them.
 */
public final class MergePatch {

    private MergePatch() {
    }

    /**
     * The RFC's {@code MergePatch(Target, Patch)}.
     *
     * @param target the document to patch; {@code null} or a missing node is treated as absent
     * @param patch  the merge patch; {@code null} (Java) is treated as JSON {@code null}
     * @return the patched document, a fresh tree ({@code NullNode} when the patch is JSON null)
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return patch == null ? JsonNodeFactory.instance.nullNode() : patch.deepCopy();
        }
        // "if Target is not an Object: Target = {}" (§2)
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> member = it.next();
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }
}
