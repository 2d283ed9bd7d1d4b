package io.berth.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The error envelope every non-2xx response carries. Documented in OpenAPI as "Error" by
 * {@link OpenApiErrors}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // written from exception mappers, outside any resource signature
public record ApiError(ErrorCode code, String message, String field, String hint, String requestId) {
}
