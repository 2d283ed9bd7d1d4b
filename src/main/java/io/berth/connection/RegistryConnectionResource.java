package io.berth.connection;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.JsonBodies;
import io.berth.api.MediaTypes;
import io.berth.api.Page;
import io.berth.api.PageParams;
import io.berth.api.Preconditions;
import io.berth.connection.RegistryConnectionDtos.ConnectionTestResult;
import io.berth.connection.RegistryConnectionDtos.RegistryConnectionCreate;
import io.berth.connection.RegistryConnectionDtos.RegistryConnectionPatch;
import io.berth.connection.RegistryConnectionDtos.RegistryConnectionView;
import io.berth.connection.RegistryConnectionDtos.TagList;
import io.berth.security.Caller;
import io.berth.security.CallerContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/registries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Registry connections", description = "Container registries and the credentials to reach them.")
public class RegistryConnectionResource {

    private final RegistryConnectionService service;
    private final CallerContext callers;
    private final JsonBodies bodies;

    public RegistryConnectionResource(RegistryConnectionService service, CallerContext callers, JsonBodies bodies) {
        this.service = service;
        this.callers = callers;
        this.bodies = bodies;
    }

    @GET
    @SecurityRequirement(name = "bearer", scopes = "registries:read")
    @Operation(operationId = "listRegistries", summary = "List registry connections",
            description = "Needs registries:read. Secrets are never returned, only hasPassword / hasToken.")
    public Page<RegistryConnectionView> list(@BeanParam PageParams page) {
        return service.list(callers.current(), page.request());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer", scopes = "registries:write")
    @Operation(operationId = "createRegistry", summary = "Create a registry connection",
            description = "password and token are write-only and stored encrypted (AES-256-GCM). "
                    + "Needs registries:write and role operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RegistryConnectionCreate.class)))
    @APIResponse(responseCode = "201", description = "Created.",
            content = @Content(schema = @Schema(implementation = RegistryConnectionView.class)))
    public Response create(JsonNode body) {
        var request = bodies.bind(body, RegistryConnectionCreate.class, RegistryConnectionDtos.READ_ONLY);
        RegistryConnectionView created = service.create(callers.current(), request);
        return Preconditions.created(URI.create("/api/registries/" + created.id()), created, created.version());
    }

    @GET
    @Path("/{id}")
    @SecurityRequirement(name = "bearer", scopes = "registries:read")
    @Operation(operationId = "getRegistry", summary = "Get a registry connection", description = "Needs registries:read.")
    @APIResponse(responseCode = "200", description = "The connection; ETag carries its version.",
            content = @Content(schema = @Schema(implementation = RegistryConnectionView.class)))
    public Response get(@PathParam("id") UUID id) {
        RegistryConnection c = service.get(callers.current(), id);
        return Preconditions.ok(service.view(callers.current(), c), c.version);
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ MediaType.APPLICATION_JSON, MediaTypes.MERGE_PATCH_JSON })
    @SecurityRequirement(name = "bearer", scopes = "registries:write")
    @Operation(operationId = "updateRegistry", summary = "Update a registry connection",
            description = "Merge-patch: absent fields are unchanged; null (or \"\" for password/token) clears "
                    + "username, password or token. Needs registries:write and role operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = RegistryConnectionPatch.class)))
    @APIResponse(responseCode = "200", description = "The updated connection.",
            content = @Content(schema = @Schema(implementation = RegistryConnectionView.class)))
    public Response patch(@PathParam("id") UUID id, @HeaderParam(Preconditions.IF_MATCH) String ifMatch, JsonNode body) {
        Preconditions preconditions = Preconditions.ifMatch(ifMatch);
        bodies.checkPatch(body, RegistryConnectionDtos.PATCH);
        RegistryConnectionView c = service.patch(callers.current(), id, preconditions, current ->
                new RegistryConnectionService.Update(bodies.merge(body, current, RegistryConnectionCreate.class,
                        RegistryConnectionDtos.PATCH), body.has("password"), body.has("token")));
        return Preconditions.ok(c, c.version());
    }

    @DELETE
    @Path("/{id}")
    @SecurityRequirement(name = "bearer", scopes = "registries:delete")
    @Operation(operationId = "deleteRegistry", summary = "Delete a registry connection",
            description = "Needs registries:delete and role operator or admin.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    public Response delete(@PathParam("id") UUID id, @HeaderParam(Preconditions.IF_MATCH) String ifMatch) {
        service.delete(callers.current(), id, Preconditions.ifMatch(ifMatch));
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/test")
    @SecurityRequirement(name = "bearer", scopes = "registries:write")
    @Operation(operationId = "testRegistry", summary = "Test a registry connection",
            description = "Performs the registry handshake (GET /v2/ and the authentication the registry asks for) "
                    + "with the stored credentials. Answers 200 with success, or the step that failed: target "
                    + "(address refused), connect, tls, registry or credentials. Needs registries:write and role "
                    + "operator or admin, since it uses the stored credentials.")
    @APIResponse(responseCode = "200", description = "The outcome of the handshake.",
            content = @Content(schema = @Schema(implementation = ConnectionTestResult.class)))
    public ConnectionTestResult test(@PathParam("id") UUID id) {
        return service.test(callers.current(), id);
    }

    @GET
    @Path("/{id}/tags")
    @SecurityRequirement(name = "bearer", scopes = "registries:read")
    @Operation(operationId = "listRegistryTags", summary = "List the tags of a repository",
            description = "All pages of the registry's tag list for ?repository=org/app. Needs registries:read.")
    @APIResponse(responseCode = "200", description = "The tags.",
            content = @Content(schema = @Schema(implementation = TagList.class)))
    public TagList tags(@PathParam("id") UUID id, @QueryParam("repository") String repository) {
        return service.tags(callers.current(), id, repository);
    }
}
