package io.berth.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents the error contract once for every operation: the Error schema, one reusable response
 * per error status under {@code components/responses} (with an example each), and the reusable
 * Idempotency-Key header parameter; every {@code /api} operation refers to those it can give
 * ({@code $ref}, OpenAPI 3.1 §4.8.8 and §4.8.23). Runs at build time. Referring instead of
 * repeating keeps the document small (about a quarter of the size): Quarkus 3.31 parses and
 * re-serialises the stored document at startup (quarkusio/quarkus#54826), so its size is paid on
 * every cold start.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiErrors implements OASFilter {

    private static final String ERROR_REF = "#/components/schemas/Error";

    private static final String IDEMPOTENCY_KEY = "IdempotencyKey";
    /** Registries' notifications in (io.berth.hook): no JWT, their own errors. */
    private static final String HOOKS = "/api/hooks/";
    /**
     * The OpenAPI extension of operations that ignore Idempotency-Key ({@code x-idempotency:
     * unsupported}, read by IdempotencyFilter too): their answer carries a secret shown once.
     */
    public static final String IDEMPOTENCY = "x-idempotency";

    /** One documented error response; {@code name} is its key under {@code components/responses}. */
    private record ErrorDoc(String name, String description, ErrorCode code, String message, String field,
            String hint) {
    }

    private static final Map<String, ErrorDoc> ERRORS = new LinkedHashMap<>();

    private static final ErrorDoc HOOK_UNAUTHORIZED = new ErrorDoc("HookUnauthorized",
            "Unauthorized — missing or wrong webhook secret, unknown connection (the same answer), or a replayed "
                    + "notification.", ErrorCode.UNAUTHORIZED,
            "Missing or wrong webhook secret, or no such registry connection.", null,
            "Send the secret from POST /api/registries/{id}/webhook-secret as the README (Registry webhooks) shows for "
                    + "your registry.");

    static {
        ERRORS.put("400", new ErrorDoc("BadRequest", "Bad request — malformed input or failed validation.", ErrorCode.VALIDATION_ERROR,
                "name: size must be between 1 and 50", "name", null));
        ERRORS.put("401", new ErrorDoc("Unauthorized", "Unauthorized — missing or invalid bearer token.", ErrorCode.UNAUTHORIZED,
                "Missing, malformed, expired or wrongly signed bearer token.", null,
                "Send 'Authorization: Bearer <JWT>' with a valid token from your identity provider."));
        ERRORS.put("403", new ErrorDoc("Forbidden", "Forbidden — the token lacks the scope, or the role is too low.",
                ErrorCode.FORBIDDEN_SCOPE, "The token lacks the scope \"environments:write\".", null,
                "Request a token whose 'scope' claim includes environments:write."));
        ERRORS.put("404", new ErrorDoc("NotFound", "Not found.", ErrorCode.NOT_FOUND, "Environment 3f1c… not found.", null, null));
        ERRORS.put("409", new ErrorDoc("Conflict", "Conflict — duplicate, stale If-Match, in-flight idempotent request, or still referenced.",
                ErrorCode.CONFLICT, "The resource is at version 4, not 3 as If-Match requires.", null,
                "Re-read the resource (GET), then apply your change to its current version."));
        ERRORS.put("413", new ErrorDoc("ContentTooLarge", "Content too large.", ErrorCode.VALIDATION_ERROR,
                "The notification is larger than 1048576 bytes.", null, null));
        ERRORS.put("422", new ErrorDoc("UnprocessableContent", "Unprocessable — e.g. a read-only field was supplied, or an Idempotency-Key reused.",
                ErrorCode.READONLY_FIELD, "Field \"exposedPorts\" is read-only and cannot be set via PATCH.",
                "exposedPorts", "Exposed ports are discovered from the image's config. Push a new image whose "
                        + "Dockerfile EXPOSEs the port, then run check-updates."));
        ERRORS.put("429", new ErrorDoc("TooManyRequests", "Too many requests; Retry-After says when to retry.", ErrorCode.RATE_LIMITED,
                "Too many requests.", null, "Wait 2 seconds before retrying."));
        ERRORS.put("500", new ErrorDoc("InternalServerError", "Internal error.", ErrorCode.INTERNAL, "Internal error.", null,
                "Quote the request id when reporting this."));
        ERRORS.put("503", new ErrorDoc("ServiceUnavailable", "A dependency (database, registry) is unavailable; Retry-After says when to retry.",
                ErrorCode.SERVICE_UNAVAILABLE, "The database is unavailable.", null, "Retry after 5 seconds."));
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Error", errorSchema());
        ERRORS.values().forEach(doc -> openAPI.getComponents().addResponse(doc.name(), errorResponse(doc)));
        openAPI.getComponents().addResponse(HOOK_UNAUTHORIZED.name(), errorResponse(HOOK_UNAUTHORIZED));
        openAPI.getComponents().addParameter(IDEMPOTENCY_KEY, OASFactory.createParameter().name("Idempotency-Key")
                .in(Parameter.In.HEADER)
                .description("Makes a retry safe: the same key and body within 24 h replays the first response "
                        + "(with Idempotent-Replayed: true). At most 200 visible ASCII characters.")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).maxLength(200)));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api")) {
                item.getOperations().forEach((method, operation) -> document(path, method, operation));
            }
        });
    }

    private static void document(String path, PathItem.HttpMethod method, Operation operation) {
        if (path.startsWith(HOOKS)) {
            // unauthenticated notifications from registries: no scopes (403), no resource to find (404,
            // an unknown id is a 401), no Idempotency-Key; bodies are bounded (413)
            operation.getResponses().addAPIResponse("401", OASFactory.createAPIResponse().ref(HOOK_UNAUTHORIZED.name()));
            addErrors(operation, List.of("400", "413", "429", "500", "503"));
            return;
        }
        boolean writes = method != PathItem.HttpMethod.GET;
        boolean hasBody = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PATCH
                || method == PathItem.HttpMethod.PUT;
        List<String> statuses = new ArrayList<>(List.of("400", "401", "403"));
        if (path.contains("{")) {
            statuses.add("404");
        }
        if (writes) {
            statuses.add("409");
        }
        if (hasBody) {
            statuses.add("422");
        }
        statuses.addAll(List.of("429", "500", "503"));
        addErrors(operation, statuses);
        boolean replayable = operation.getExtensions() == null
                || !"unsupported".equals(operation.getExtensions().get(IDEMPOTENCY));
        if ((method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PATCH) && replayable) {
            operation.addParameter(OASFactory.createParameter().ref(IDEMPOTENCY_KEY));
        }
    }

    private static void addErrors(Operation operation, List<String> statuses) {
        for (String status : statuses) {
            if (operation.getResponses().getAPIResponse(status) == null) {
                operation.getResponses().addAPIResponse(status,
                        OASFactory.createAPIResponse().ref(ERRORS.get(status).name()));
            }
        }
    }

    private static APIResponse errorResponse(ErrorDoc doc) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("code", doc.code().name());
        example.put("message", doc.message());
        if (doc.field() != null) {
            example.put("field", doc.field());
        }
        if (doc.hint() != null) {
            example.put("hint", doc.hint());
        }
        example.put("requestId", "req_01JD8X3Q9V6Y2T7K4M5N0P1R2S");
        Content content = OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref(ERROR_REF))
                .addExample("example", OASFactory.createExample().value(example)));
        return OASFactory.createAPIResponse().description(doc.description()).content(content);
    }

    private static Schema errorSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("Error envelope returned by every non-2xx response.")
                .required(List.of("code", "message", "requestId"))
                .addProperty("code", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("Stable, machine-readable error code. Always present on the wire.")
                        .enumeration(Arrays.stream(ErrorCode.values()).map(c -> (Object) c.name()).toList()))
                .addProperty("message", string.description("Human-readable error message. Always present on the wire."))
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("Field name when the error is tied to a specific input (e.g. validation)."))
                .addProperty("hint", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("Optional, human-friendly hint for resolving the error."))
                .addProperty("requestId", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("Server-assigned request ID; quote this when reporting issues."))
                .additionalPropertiesBoolean(true);
    }
}
