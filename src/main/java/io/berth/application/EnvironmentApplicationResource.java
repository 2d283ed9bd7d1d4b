package io.berth.application;

import java.net.URI;
import java.util.UUID;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.DryRun;
import io.berth.api.JsonBodies;
import io.berth.api.MediaTypes;
import io.berth.api.Page;
import io.berth.api.PageParams;
import io.berth.api.Preconditions;
import io.berth.application.ApplicationDtos.ApplicationCreate;
import io.berth.application.ApplicationDtos.ApplicationUpdate;
import io.berth.application.ApplicationDtos.ApplicationView;
import io.berth.application.ApplicationDtos.ImageUpdate;
import io.berth.application.ApplicationDtos.RestoreRequest;
import io.berth.application.ApplicationDtos.VersionView;
import io.berth.security.Caller;
import io.berth.security.CallerContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The applications of one environment, under /api/environments/{environmentId}/applications. */
@Path("/api/environments/{envId}/app")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Applications", description = "What runs in an environment, pinned to an image digest.")
public class EnvironmentApplicationResource {

    private final ApplicationService service;
    private final CallerContext callers;
    private final JsonBodies bodies;

    public EnvironmentApplicationResource(ApplicationService service, CallerContext callers, JsonBodies bodies) {
        this.service = service;
        this.callers = callers;
        this.bodies = bodies;
    }

    @GET
    @SecurityRequirement(name = "bearer", scopes = "applications:read")
    @Operation(operationId = "listApplications", summary = "List the applications of an environment",
            description = "Live applications, oldest first. Needs applications:read.")
    public Page<ApplicationView> list(@PathParam("envId") UUID environmentId, @BeanParam PageParams page) {
        return service.list(callers.current(), environmentId, page.request()).map(ApplicationView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer", scopes = "applications:write")
    @Operation(operationId = "createApplication", summary = "Create an application",
            description = "The image must exist in its registry; its digest is pinned. A hostname is generated. "
                    + "Needs applications:write and role operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ApplicationCreate.class)))
    @APIResponse(responseCode = "201", description = "Created.",
            content = @Content(schema = @Schema(implementation = ApplicationView.class)))
    public Response create(@PathParam("envId") UUID environmentId, JsonNode body) {
        var request = bodies.bind(body, ApplicationCreate.class, ApplicationDtos.READ_ONLY);
        Application app = service.create(callers.current(), environmentId, request);
        return Preconditions.created(URI.create("/api/environments/" + environmentId + "/app/" + app.id),
                ApplicationView.of(app), app.version);
    }

    @GET
    @Path("/{id}")
    @SecurityRequirement(name = "bearer", scopes = "applications:read")
    @Operation(operationId = "getApplication", summary = "Get an application", description = "Needs applications:read.")
    @APIResponse(responseCode = "200", description = "The application; ETag carries its version.",
            content = @Content(schema = @Schema(implementation = ApplicationView.class)))
    public Response get(@PathParam("envId") UUID environmentId, @PathParam("id") UUID id) {
        Application app = service.get(callers.current(), environmentId, id);
        return Preconditions.ok(ApplicationView.of(app), app.version);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer", scopes = "applications:write")
    @Operation(operationId = "updateApplication", summary = "Update an application (partial)",
            description = "Absent fields keep their values (also inside resources and source); "
                    + "environmentVariables replaces all variables. An image change is validated against the registry. "
                    + "?dryRun=true or X-Dry-Run: true validates everything and answers what would be stored, storing "
                    + "nothing. Needs applications:write and role operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ApplicationUpdate.class)))
    @APIResponse(responseCode = "200", description = "The updated application.",
            content = @Content(schema = @Schema(implementation = ApplicationView.class)))
    public Response update(@PathParam("envId") UUID environmentId, @PathParam("id") UUID id,
            @HeaderParam(Preconditions.IF_MATCH) String ifMatch,
            @Parameter(description = "Validate only.") @QueryParam(DryRun.QUERY) String dryRunQuery,
            @HeaderParam(DryRun.HEADER) String dryRunHeader, JsonNode body) {
        Preconditions preconditions = Preconditions.ifMatch(ifMatch);
        boolean dryRun = DryRun.requested(dryRunQuery, dryRunHeader);
        bodies.checkPatch(body, ApplicationDtos.PUT);
        return answer(service.update(callers.current(), environmentId, id, current -> bodies.merge(body,
                ApplicationView.of(current), ApplicationCreate.class, ApplicationDtos.PUT), preconditions, dryRun), dryRun);
    }

    @PATCH
    @Path("/{appId}/image")
    @Consumes({ MediaType.APPLICATION_JSON, MediaTypes.MERGE_PATCH_JSON })
    @SecurityRequirement(name = "bearer", scopes = "applications:write")
    @Operation(operationId = "updateApplicationImage", summary = "Update Application Image",
            description = "Update only the container image (name and/or tag) for an existing application without "
                    + "modifying other settings. Public images (Docker Hub short names like nginx, or "
                    + "ghcr.io/org/public-repo) are checked anonymously; with containerRegistryId, with that "
                    + "connection's stored credentials. The tag must exist; its digest is pinned. Registry unreachable "
                    + "or rate-limiting: 503 with Retry-After. Supports ?dryRun=true / X-Dry-Run, Idempotency-Key and "
                    + "If-Match. Needs applications:write and role operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ImageUpdate.class), examples = {
        @ExampleObject(name = "docker-hub-public", value = "{\"imageName\":\"nginx\",\"imageTag\":\"1.25-alpine\"}"),
        @ExampleObject(name = "other-public", value = "{\"imageName\":\"ghcr.io/organization/public-repo\",\"imageTag\":\"latest\"}"),
        @ExampleObject(name = "private", value = "{\"imageName\":\"myregistry.azurecr.io/private-app\",\"imageTag\":\"v1.0.0\","
                + "\"containerRegistryId\":\"550e8400-e29b-41d4-a716-446655440000\"}") }))
    @APIResponse(responseCode = "200", description = "The whole application, version + 1, the digest pinned.",
            content = @Content(schema = @Schema(implementation = ApplicationView.class)))
    public Response updateImage(@PathParam("envId") UUID environmentId, @PathParam("appId") UUID id,
            @HeaderParam(Preconditions.IF_MATCH) String ifMatch,
            @Parameter(description = "Validate only.") @QueryParam(DryRun.QUERY) String dryRunQuery,
            @HeaderParam(DryRun.HEADER) String dryRunHeader, JsonNode body) {
        Preconditions preconditions = Preconditions.ifMatch(ifMatch);
        boolean dryRun = DryRun.requested(dryRunQuery, dryRunHeader);
        ImageUpdate request = bodies.bindPatch(body, ImageUpdate.class, ApplicationDtos.READ_ONLY);
        return answer(service.updateImage(callers.current(), environmentId, id, request, preconditions, dryRun), dryRun);
    }

    @DELETE
    @Path("/{id}")
    @SecurityRequirement(name = "bearer", scopes = "applications:delete")
    @Operation(operationId = "deleteApplication", summary = "Delete an application",
            description = "A soft delete: the application is gone from lists and reads; its hostname stays reserved. "
                    + "Needs applications:delete and role operator or admin.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    public Response delete(@PathParam("envId") UUID environmentId, @PathParam("id") UUID id,
            @HeaderParam(Preconditions.IF_MATCH) String ifMatch) {
        service.delete(callers.current(), environmentId, id, Preconditions.ifMatch(ifMatch));
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/history")
    @SecurityRequirement(name = "bearer", scopes = "applications:read")
    @Operation(operationId = "listApplicationHistory", summary = "Versions of an application",
            description = "Newest first: who changed what, when, and the state it had. Needs applications:read.")
    public Page<VersionView> history(@PathParam("envId") UUID environmentId, @PathParam("id") UUID id,
            @BeanParam PageParams page) {
        return service.history(callers.current(), environmentId, id, page.request());
    }

    @POST
    @Path("/{id}/restore")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer", scopes = "applications:write")
    @Operation(operationId = "restoreApplication", summary = "Restore a version",
            description = "Makes a new version equal to version n (the image is validated again only if it differs). "
                    + "Needs applications:write and role operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RestoreRequest.class)))
    @APIResponse(responseCode = "200", description = "The application at its new version.",
            content = @Content(schema = @Schema(implementation = ApplicationView.class)))
    public Response restore(@PathParam("envId") UUID environmentId, @PathParam("id") UUID id,
            @HeaderParam(Preconditions.IF_MATCH) String ifMatch, JsonNode body) {
        Preconditions preconditions = Preconditions.ifMatch(ifMatch);
        long version = bodies.bind(body, RestoreRequest.class, java.util.Map.of()).version();
        Application app = service.restore(callers.current(), environmentId, id, version, preconditions);
        return Preconditions.ok(ApplicationView.of(app), app.version);
    }

    private static Response answer(Application app, boolean dryRun) {
        Response response = Preconditions.ok(ApplicationView.of(app), app.version);
        return dryRun ? Response.fromResponse(response).header(DryRun.HEADER, "true").tag((String) null).build() : response;
    }
}
