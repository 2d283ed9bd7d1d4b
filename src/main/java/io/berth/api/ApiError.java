package io.berth.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The error envelope every non-2xx response carries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // also written from exception mappers, outside any resource signature
@Schema(name = "Error", description = "Error envelope returned by every non-2xx response.")
public record ApiError(
        @Schema(description = "Stable, machine-readable error code. Always present on the wire.", required = true)
        ErrorCode code,
        @Schema(description = "Human-readable error message. Always present on the wire.", required = true)
        String message,
        @Schema(description = "Field name when the error is tied to a specific input (e.g. validation).")
        String field,
        @Schema(description = "Optional, human-friendly hint for resolving the error.")
        String hint,
        @Schema(description = "Server-assigned request ID; quote this when reporting issues.", required = true)
        String requestId) {
}
