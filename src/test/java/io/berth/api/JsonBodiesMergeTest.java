package io.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;

/** {@link JsonBodies#merge}: a merge patch applied to a view with a resource's {@link PatchRules}. */
@QuarkusTest
class JsonBodiesMergeTest {

    public record Inner(Integer a, @Max(10) Integer b) {
    }

    /** What a create (and a merged patch) binds. */
    public record Thing(@NotNull String name, String code, String note, Map<String, String> vars, @Valid Inner inner,
            Integer n) {
    }

    /** What a GET answers. */
    public record ThingView(String id, String name, String code, String note, Map<String, String> vars, Inner inner,
            Integer n, String computed, long version) {
    }

    private static final PatchRules RULES = PatchRules
            .refusing(ReadOnlyFields.with("code", "Fixed at creation.", "computed", "Computed.", "inner.secret", "No."))
            .createOnly("code")
            .required("name", "Send a name.")
            .required("n", "Send a number.")
            .nullKeeps("inner.a")
            .replaced("vars");

    private static final ThingView CURRENT = new ThingView("t1", "thing", "C-1", "a note", Map.of("A", "1"),
            new Inner(1, 2), 7, "x", 3);

    @Inject
    JsonBodies bodies;
    @Inject
    ObjectMapper mapper;

    private Thing merge(String patch) throws Exception {
        return bodies.merge(mapper.readTree(patch), CURRENT, Thing.class, RULES);
    }

    @Test
    void absentKeepsNullClearsAndCreateOnlyFieldsStay() throws Exception {
        Thing thing = merge("{\"note\":null}");
        assertEquals(new Thing("thing", "C-1", null, Map.of("A", "1"), new Inner(1, 2), 7), thing);
        assertEquals(new Thing("renamed", "C-1", "a note", Map.of("A", "1"), new Inner(1, 2), 7), merge("{\"name\":\"renamed\"}"));
    }

    @Test
    void objectsMergeRecursivelyUnlessReplacedOrNullKeeps() throws Exception {
        assertEquals(new Inner(1, 5), merge("{\"inner\":{\"b\":5}}").inner());
        assertEquals(new Inner(1, null), merge("{\"inner\":{\"b\":null}}").inner());
        assertEquals(new Inner(1, 2), merge("{\"inner\":{\"a\":null}}").inner(), "null keeps inner.a");
        assertEquals(Map.of("B", "2"), merge("{\"vars\":{\"B\":\"2\"}}").vars(), "vars is replaced whole");
        Map<String, String> withNull = merge("{\"vars\":{\"A\":null}}").vars();
        assertEquals(1, withNull.size());
        assertNull(withNull.get("A"), "a null inside a replaced field is a value, not a removal");
    }

    @Test
    void aRequiredFieldSentAsNullIsA400NamingIt() {
        ApiException e = assertThrows(ApiException.class, () -> merge("{\"n\":null,\"name\":null}"));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.code());
        assertEquals("name", e.field(), "checked in the declared order");
        assertEquals("name cannot be null.", e.getMessage());
        assertEquals("Send a name.", e.hint());
    }

    @Test
    void typeAndConstraintErrorsComeFirstAndNameTheField() {
        ApiException wrongType = assertThrows(ApiException.class, () -> merge("{\"name\":null,\"n\":\"many\"}"));
        assertEquals("n", wrongType.field());
        ApiException unknown = assertThrows(ApiException.class, () -> merge("{\"colour\":\"red\"}"));
        assertEquals("colour", unknown.field());
        assertThrows(ConstraintViolationException.class, () -> merge("{\"inner\":{\"b\":11}}"));
    }

    @Test
    void readOnlyAndCreateOnlyFieldsAre422WhateverTheirValue() {
        ApiException e = assertThrows(ApiException.class, () -> merge("{\"code\":\"C-1\",\"version\":3,\"name\":\"x\"}"));
        assertEquals(ErrorCode.READONLY_FIELD, e.code());
        assertEquals("code", e.field());
        assertEquals("Fields \"code\", \"version\" are read-only and cannot be set via PATCH.", e.getMessage());
        assertEquals("Fixed at creation.", e.hint());
        ApiException nested = assertThrows(ApiException.class, () -> merge("{\"inner\":{\"secret\":1}}"));
        assertEquals("inner.secret", nested.field());
    }

    @Test
    void onlyAJsonObjectIsAPatch() {
        for (String body : new String[] { "[]", "\"x\"", "null", "5" }) {
            ApiException e = assertThrows(ApiException.class, () -> merge(body));
            assertEquals(ErrorCode.VALIDATION_ERROR, e.code(), body);
        }
        assertThrows(ApiException.class, () -> bodies.merge(null, CURRENT, Thing.class, RULES));
    }
}
