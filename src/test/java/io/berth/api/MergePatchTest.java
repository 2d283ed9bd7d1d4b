package io.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** RFC 7396 (JSON Merge Patch): the examples of §3 and Appendix A, and that nothing is mutated. */
class MergePatchTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    /** Appendix A, every row: original, patch, result. */
    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "{\"a\":\"b\"}                | {\"a\":\"c\"}                   | {\"a\":\"c\"}",
        "{\"a\":\"b\"}                | {\"b\":\"c\"}                   | {\"a\":\"b\",\"b\":\"c\"}",
        "{\"a\":\"b\"}                | {\"a\":null}                    | {}",
        "{\"a\":\"b\",\"b\":\"c\"}    | {\"a\":null}                    | {\"b\":\"c\"}",
        "{\"a\":[\"b\"]}              | {\"a\":\"c\"}                   | {\"a\":\"c\"}",
        "{\"a\":\"c\"}                | {\"a\":[\"b\"]}                 | {\"a\":[\"b\"]}",
        "{\"a\":{\"b\":\"c\"}}        | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
        "{\"a\":[{\"b\":\"c\"}]}      | {\"a\":[1]}                     | {\"a\":[1]}",
        "[\"a\",\"b\"]                | [\"c\",\"d\"]                   | [\"c\",\"d\"]",
        "{\"a\":\"b\"}                | [\"c\"]                         | [\"c\"]",
        "{\"a\":\"foo\"}              | null                            | null",
        "{\"a\":\"foo\"}              | \"bar\"                         | \"bar\"",
        "{\"e\":null}                 | {\"a\":1}                       | {\"e\":null,\"a\":1}",
        "[1,2]                        | {\"a\":\"b\",\"c\":null}        | {\"a\":\"b\"}",
        "{}                           | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}" })
    void appendixA(String original, String patch, String result) throws Exception {
        assertEquals(json(result), MergePatch.apply(json(original), json(patch)));
    }

    /** The example of §3. */
    @Test
    void section3Example() throws Exception {
        JsonNode target = json("""
                {"title": "Goodbye!",
                 "author": {"givenName": "John", "familyName": "Doe"},
                 "tags": ["example", "sample"],
                 "content": "This will be unchanged"}""");
        JsonNode patch = json("""
                {"title": "Hello!",
                 "phoneNumber": "+01-123-456-7890",
                 "author": {"familyName": null},
                 "tags": ["example"]}""");
        JsonNode expected = json("""
                {"title": "Hello!",
                 "author": {"givenName": "John"},
                 "tags": ["example"],
                 "content": "This will be unchanged",
                 "phoneNumber": "+01-123-456-7890"}""");
        assertEquals(expected, MergePatch.apply(target, patch));
    }

    @Test
    void neitherArgumentIsChangedNorShared() throws Exception {
        JsonNode target = json("{\"a\":{\"b\":1},\"c\":2}");
        JsonNode patch = json("{\"a\":{\"d\":{\"e\":3}},\"c\":null}");
        JsonNode result = MergePatch.apply(target, patch);
        assertEquals(json("{\"a\":{\"b\":1,\"d\":{\"e\":3}}}"), result);
        assertEquals(json("{\"a\":{\"b\":1},\"c\":2}"), target);
        assertEquals(json("{\"a\":{\"d\":{\"e\":3}},\"c\":null}"), patch);
        ((com.fasterxml.jackson.databind.node.ObjectNode) result.get("a").get("d")).put("e", 4);
        assertEquals(3, patch.get("a").get("d").get("e").intValue());
    }

    @Test
    void anAbsentTargetIsAnEmptyObject() throws Exception {
        assertEquals(json("{\"a\":1}"), MergePatch.apply(null, json("{\"a\":1,\"b\":null}")));
        assertEquals(json("{\"a\":1}"), MergePatch.apply(com.fasterxml.jackson.databind.node.MissingNode.getInstance(),
                json("{\"a\":1}")));
        assertEquals(json("null"), MergePatch.apply(json("{\"a\":1}"), null));
    }
}
