package io.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;

/** Nested inputs name their full path in {@code field}, whichever layer refuses them. */
@QuarkusTest
class JsonBodiesTest {

    public record Resources(@Min(1) @Max(64000) Integer cpu) {
    }

    public record App(@Valid Resources resources) {
    }

    @Inject
    JsonBodies bodies;
    @Inject
    ObjectMapper mapper;

    @Test
    void nestedConstraintViolationNamesThePath() throws Exception {
        ConstraintViolationException e = assertThrows(ConstraintViolationException.class,
                () -> bodies.bind(mapper.readTree("{\"resources\":{\"cpu\":0}}"), App.class, Map.of()));
        var response = new ExceptionMappers().constraintViolation(e);
        ApiError error = (ApiError) response.getEntity();
        assertEquals(400, response.getStatus());
        assertEquals("resources.cpu", error.field());
    }

    @Test
    void nestedWrongTypeNamesThePath() throws Exception {
        ApiException e = assertThrows(ApiException.class,
                () -> bodies.bind(mapper.readTree("{\"resources\":{\"cpu\":\"lots\"}}"), App.class, Map.of()));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.code());
        assertEquals("resources.cpu", e.field());
        assertTrue(e.getMessage().contains("integer"), e.getMessage());
    }

    @Test
    void nestedUnknownFieldNamesThePath() throws Exception {
        ApiException e = assertThrows(ApiException.class,
                () -> bodies.bind(mapper.readTree("{\"resources\":{\"gpu\":1}}"), App.class, Map.of()));
        assertEquals("resources.gpu", e.field());
    }
}
