package io.berth.api;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every exception that reaches the REST layer into the contract's error envelope. */
public class ExceptionMappers {

    /** The status (nginx's 499) recorded for a request whose client closed the connection first. */
    public static final int CLIENT_CLOSED_REQUEST = 499;

    public static Response toResponse(ApiException e) {
        Response.ResponseBuilder builder = Response.status(e.code().status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(e.code(), e.getMessage(), e.field(), e.hint(), RequestIds.current()));
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return toResponse(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return toResponse(jsonError(e));
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<ConstraintViolation<?>> violations = e.getConstraintViolations().stream()
                .sorted((a, b) -> fieldOf(a.getPropertyPath()).compareTo(fieldOf(b.getPropertyPath())))
                .toList();
        if (violations.isEmpty()) {
            return toResponse(ApiException.validation(null, "The request is invalid.", null));
        }
        ConstraintViolation<?> first = violations.get(0);
        String field = fieldOf(first.getPropertyPath());
        String message = violations.stream()
                .map(v -> fieldOf(v.getPropertyPath()) + ": " + v.getMessage())
                .collect(Collectors.joining("; "));
        return toResponse(ApiException.validation(field.isEmpty() ? null : field, message, null));
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthorized(RuntimeException e) {
        return toResponse(unauthorized("Missing, malformed, expired or wrongly signed bearer token."));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return toResponse(new ApiException(ErrorCode.FORBIDDEN_ROLE, "Your role may not do this.", null, null));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return toResponse(jsonError(json));
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        // Keep the precise status (405, 406, 415, ...) even where the code is the generic VALIDATION_ERROR.
        return Response.fromResponse(toResponse(webError(status, e))).status(status).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        ApiException known = Failures.classify(e);
        if (known != null) {
            if (known.code() == ErrorCode.SERVICE_UNAVAILABLE) {
                Log.warnf("Answering 503: %s", rootMessage(e));
            }
            return toResponse(known);
        }
        if (Failures.clientGone(e)) {
            // Not a server fault and nobody to answer: a debug line, no stack trace, and the status
            // nginx uses for it, so neither the access log nor http_server_requests count a 500.
            Log.debugf("Client went away before the request was read or answered: %s", rootMessage(e));
            return Response.status(CLIENT_CLOSED_REQUEST).build();
        }
        Log.error("Unexpected failure", e);
        return toResponse(new ApiException(ErrorCode.INTERNAL, "Internal error.", null,
                "Quote the request id when reporting this."));
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(ErrorCode.UNAUTHORIZED, message, null,
                "Send 'Authorization: Bearer <JWT>' with a valid token from your identity provider.",
                Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
    }

    private static ApiException webError(int status, WebApplicationException e) {
        return switch (status) {
            case 401 -> unauthorized("Authentication required.");
            case 403 -> new ApiException(ErrorCode.FORBIDDEN_ROLE, "Forbidden.", null, null);
            case 404 -> new ApiException(ErrorCode.NOT_FOUND, "Not found.", null,
                    "See /q/openapi for the operations this API offers.");
            case 405 -> new ApiException(ErrorCode.VALIDATION_ERROR, "Method not allowed on this resource.", null,
                    "See /q/openapi for the methods this path accepts.");
            case 406 -> new ApiException(ErrorCode.VALIDATION_ERROR, "None of the media types in Accept can be produced.",
                    "Accept", "This API answers application/json.");
            case 415 -> new ApiException(ErrorCode.VALIDATION_ERROR, "Unsupported Content-Type.", "Content-Type",
                    "Send the body as application/json.");
            default -> new ApiException(ErrorCode.VALIDATION_ERROR, "The request is invalid.", null, null);
        };
    }

    static ApiException jsonError(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = path(unknown);
            return ApiException.validation(field, "Unknown field \"" + field + "\".",
                    "Remove the field; see /q/openapi for the accepted fields.");
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            String field = path((JsonMappingException) e);
            Class<?> target = ((MismatchedInputException) e).getTargetType();
            String expected = target == null ? "another type" : describe(target);
            return ApiException.validation(field.isEmpty() ? null : field,
                    field.isEmpty() ? "The request body has the wrong shape." : "Field \"" + field + "\" must be " + expected + ".",
                    null);
        }
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof InputCoercionException) {
            // A number too large for its field (e.g. beyond an int): binding knows which field it was.
            String field = path(mapping);
            return ApiException.validation(field.isEmpty() ? null : field, (field.isEmpty() ? "A number"
                    : "Field \"" + field + "\"") + " is out of range for an integer.",
                    "See /q/openapi for the field's minimum and maximum.");
        }
        return ApiException.validation(null, "Malformed JSON in the request body.", "Send a valid JSON document.");
    }

    private static String describe(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return type.isEnum() ? "one of " + List.of(type.getEnumConstants()).toString().toLowerCase() : "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        return "a JSON " + (type.isRecord() || Map.class.isAssignableFrom(type) ? "object" : "value of the documented type");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** Property path without the method and parameter nodes Bean Validation puts in front. */
    static String fieldOf(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getName() == null) {
                    continue;
                }
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return !field.isEmpty() ? field.toString() : parameter != null ? parameter : "";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
