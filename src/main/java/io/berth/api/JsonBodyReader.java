package io.berth.api;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Reads every JSON request body (resources take a {@link JsonNode} and bind it with
 * {@link JsonBodies}), so the rules that hold for a whole body live here once:
 *
 * <ul>
 * <li>the bytes must be well-formed UTF-8 (RFC 8259 §8.1): overlong forms, encoded surrogates and
 * stray bytes are 400 "malformed JSON" instead of being decoded into other characters;</li>
 * <li>exactly one JSON document: trailing content ({@code {"a":1}{"b":2}}) is 400;</li>
 * <li>every string value and every object key at every depth obeys {@link Text#problem}: no
 * U+0000, no control characters other than TAB/LF/CR, no unpaired surrogates; the answer is 400
 * with {@code field} = the JSON path ({@code environmentVariables.FOO}, {@code source.image.tag},
 * {@code ports[0]}).</li>
 * </ul>
 *
 * An empty body is read as a missing node; {@link JsonBodies} answers that a JSON object is
 * required. The body size is already bounded by {@code quarkus.http.limits.max-body-size}.
 */
@Provider
@Consumes({ MediaType.APPLICATION_JSON, "application/*+json" })
public class JsonBodyReader implements MessageBodyReader<JsonNode> {

    private final ObjectMapper mapper;

    public JsonBodyReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JsonNode.class;
    }

    @Override
    public JsonNode readFrom(Class<JsonNode> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        return read(mapper, entityStream.readAllBytes());
    }

    /**
     * Decodes, parses and checks one body.
     *
     * @throws ApiException 400 VALIDATION_ERROR for malformed UTF-8, malformed JSON, trailing
     *                      content or a string that breaks the text rules
     */
    public static JsonNode read(ObjectMapper mapper, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.validation(null, "Malformed JSON in the request body: it is not valid UTF-8.",
                    "Send the body as UTF-8 (RFC 8259); overlong forms and encoded surrogates are refused.");
        }
        JsonNode tree;
        try (JsonParser parser = mapper.createParser(text)) {
            if (parser.nextToken() == null) {
                return MissingNode.getInstance();
            }
            // our own trailing check below gives the clearer message
            tree = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(parser);
            if (parser.nextToken() != null) {
                throw ApiException.validation(null,
                        "Malformed JSON in the request body: content follows the JSON document.",
                        "Send exactly one JSON document per request.");
            }
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw ApiException.validation(null, "Malformed JSON in the request body.", "Send a valid JSON document.");
        }
        check(tree, "");
        return tree;
    }

    private static ApiException malformed(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
        return ApiException.validation(null, "Malformed JSON in the request body" + where + ".",
                "Send a valid JSON document.");
    }

    private static void check(JsonNode node, String path) {
        if (node.isTextual()) {
            String problem = Text.problem(node.textValue());
            if (problem != null) {
                throw invalid(path, problem);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String keyProblem = Text.problem(field.getKey());
                String child = (path.isEmpty() ? "" : path + ".") + printable(field.getKey());
                if (keyProblem != null) {
                    throw ApiException.validation(child, "The field name \"" + child + "\" " + keyProblem + ".",
                            TEXT_HINT);
                }
                check(field.getValue(), child);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "[" + i + "]");
            }
        }
    }

    static final String TEXT_HINT = "Text must be valid Unicode without U+0000 or control characters other than "
            + "tab, line feed and carriage return.";

    private static ApiException invalid(String path, String problem) {
        return ApiException.validation(path.isEmpty() ? null : path,
                (path.isEmpty() ? "The body" : "Field \"" + path + "\"") + " " + problem + ".", TEXT_HINT);
    }

    /** A key as it may be shown: characters the rules refuse are written as U+XXXX. */
    private static String printable(String key) {
        if (Text.problem(key) == null) {
            return key;
        }
        StringBuilder out = new StringBuilder();
        key.chars().forEach(c -> {
            if (Character.isSurrogate((char) c) || (Character.getType(c) == Character.CONTROL)) {
                out.append(Text.codePoint(c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
