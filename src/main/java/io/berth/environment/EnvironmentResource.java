package io.berth.environment;

import java.net.URI;
import java.util.UUID;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.JsonBodies;
import io.berth.api.MediaTypes;
import io.berth.api.Page;
import io.berth.api.PageParams;
import io.berth.api.Preconditions;
import io.berth.environment.EnvironmentDtos.EnvironmentCreate;
import io.berth.environment.EnvironmentDtos.EnvironmentPatch;
import io.berth.environment.EnvironmentDtos.EnvironmentView;
import io.berth.security.CallerContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/environments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Environments", description = "Deployment environments of your company.")
public class EnvironmentResource {

    private final EnvironmentService service;
    private final CallerContext callers;
    private final JsonBodies bodies;

    public EnvironmentResource(EnvironmentService service, CallerContext callers, JsonBodies bodies) {
        this.service = service;
        this.callers = callers;
        this.bodies = bodies;
    }

    @GET
    @SecurityRequirement(name = "bearer", scopes = "environments:read")
    @Operation(operationId = "listEnvironments", summary = "List environments",
            description = "Environments of the caller's company, oldest first. Needs environments:read.")
    public Page<EnvironmentView> list(@BeanParam PageParams page) {
        return service.list(callers.current(), page.request()).map(EnvironmentView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer", scopes = "environments:write")
    @Operation(operationId = "createEnvironment", summary = "Create an environment",
            description = "Needs environments:write and role operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = EnvironmentCreate.class)))
    @APIResponse(responseCode = "201", description = "Created.",
            content = @Content(schema = @Schema(implementation = EnvironmentView.class)))
    public Response create(JsonNode body) {
        EnvironmentCreate request = bodies.bind(body, EnvironmentCreate.class, EnvironmentDtos.READ_ONLY);
        Environment created = service.create(callers.current(), request);
        return Preconditions.created(URI.create("/api/environments/" + created.id), EnvironmentView.of(created),
                created.version);
    }

    @GET
    @Path("/{id}")
    @SecurityRequirement(name = "bearer", scopes = "environments:read")
    @Operation(operationId = "getEnvironment", summary = "Get an environment", description = "Needs environments:read.")
    @APIResponse(responseCode = "200", description = "The environment; ETag carries its version.",
            content = @Content(schema = @Schema(implementation = EnvironmentView.class)))
    public Response get(@PathParam("id") UUID id) {
        Environment environment = service.get(callers.current(), id);
        return Preconditions.ok(EnvironmentView.of(environment), environment.version);
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ MediaType.APPLICATION_JSON, MediaTypes.MERGE_PATCH_JSON })
    @SecurityRequirement(name = "bearer", scopes = "environments:write")
    @Operation(operationId = "updateEnvironment", summary = "Update an environment",
            description = "Merge-patch: absent fields are unchanged, description null clears it. "
                    + "Needs environments:write and role operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = EnvironmentPatch.class)))
    @APIResponse(responseCode = "200", description = "The updated environment.",
            content = @Content(schema = @Schema(implementation = EnvironmentView.class)))
    public Response patch(@PathParam("id") UUID id, @HeaderParam(Preconditions.IF_MATCH) String ifMatch, JsonNode body) {
        Preconditions preconditions = Preconditions.ifMatch(ifMatch);
        bodies.checkPatch(body, EnvironmentDtos.PATCH);
        Environment environment = service.patch(callers.current(), id, preconditions,
                current -> bodies.merge(body, EnvironmentView.of(current), EnvironmentCreate.class, EnvironmentDtos.PATCH));
        return Preconditions.ok(EnvironmentView.of(environment), environment.version);
    }

    @DELETE
    @Path("/{id}")
    @SecurityRequirement(name = "bearer", scopes = "environments:delete")
    @Operation(operationId = "deleteEnvironment", summary = "Delete an environment",
            description = "Needs environments:delete and role operator or admin.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    public Response delete(@PathParam("id") UUID id, @HeaderParam(Preconditions.IF_MATCH) String ifMatch) {
        service.delete(callers.current(), id, Preconditions.ifMatch(ifMatch));
        return Response.noContent().build();
    }
}
