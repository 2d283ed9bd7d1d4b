package io.berth.image;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.JsonBodies;
import io.berth.api.MediaTypes;
import io.berth.api.Preconditions;
import io.berth.image.ContainerImageDtos.ContainerImageCreate;
import io.berth.image.ContainerImageDtos.ContainerImagePatch;
import io.berth.image.ContainerImageDtos.ContainerImageView;
import io.berth.image.ContainerImageDtos.ImageTags;
import io.berth.security.Caller;
import io.berth.security.CallerContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/container-images")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Container images")
public class ContainerImageResource {

    private final ContainerImageService service;
    private final CallerContext callers;
    private final JsonBodies bodies;

    public ContainerImageResource(ContainerImageService service, CallerContext callers, JsonBodies bodies) {
        this.service = service;
        this.callers = callers;
        this.bodies = bodies;
    }

    @GET
    @Path("/{id}")
    @SecurityRequirement(name = "bearer", scopes = "container-images:read")
    @Operation(operationId = "getContainerImage", summary = "Get a container image", description = "Needs container-images:read.")
    @APIResponse(responseCode = "200", description = "The container image; ETag carries its version.",
            content = @Content(schema = @Schema(implementation = ContainerImageView.class)))
    public Response get(@PathParam("id") UUID id) {
        ContainerImage image = service.get(callers.current(), id);
        return Preconditions.ok(ContainerImageView.of(image), image.version);
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ MediaType.APPLICATION_JSON, MediaTypes.MERGE_PATCH_JSON })
    @SecurityRequirement(name = "bearer", scopes = "container-images:write")
    @Operation(operationId = "updateContainerImage", summary = "Update a container image",
            description = "Only name, tagFilter, registryConnectionId (null clears it) and autoUpdate can change; absent "
                    + "fields keep their value. A read-only or create-only field anywhere in the body is a 422 "
                    + "READONLY_FIELD and nothing is applied. A new tagFilter or registryConnectionId runs discovery. "
                    + "Needs container-images:write and role operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ContainerImagePatch.class),
            examples = @ExampleObject(name = "example",
                    value = "{\"name\":\"example\",\"tagFilter\":\"1.*\",\"registryConnectionId\":\"550e8400-e29b-41d4-a716-446655440000\",\"autoUpdate\":true}")))
    @APIResponse(responseCode = "200", description = "The updated container image.",
            content = @Content(schema = @Schema(implementation = ContainerImageView.class)))
    public Response patch(@PathParam("id") UUID id, @HeaderParam(Preconditions.IF_MATCH) String ifMatch, JsonNode body) {
        Preconditions preconditions = Preconditions.ifMatch(ifMatch);
        bodies.checkPatch(body, ContainerImageDtos.PATCH);
        ContainerImage image = service.patch(callers.current(), id, preconditions, current -> bodies.merge(body,
                ContainerImageView.of(current), ContainerImageCreate.class, ContainerImageDtos.PATCH));
        return Preconditions.ok(ContainerImageView.of(image), image.version);
    }

    @DELETE
    @Path("/{id}")
    @SecurityRequirement(name = "bearer", scopes = "container-images:delete")
    @Operation(operationId = "deleteContainerImage", summary = "Stop tracking a container image",
            description = "Refused (409) while applications use it. Needs container-images:delete and role operator or admin.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    public Response delete(@PathParam("id") UUID id, @HeaderParam(Preconditions.IF_MATCH) String ifMatch) {
        service.delete(callers.current(), id, Preconditions.ifMatch(ifMatch));
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/tags")
    @SecurityRequirement(name = "bearer", scopes = "container-images:read")
    @Operation(operationId = "listContainerImageTags", summary = "Tags of the repository and the discovery history",
            description = "Every tag in the registry now (best first), whether it matches the filter, its digest when "
                    + "discovery has seen it, and the last 20 discoveries. Needs container-images:read.")
    @APIResponse(responseCode = "200", description = "The tags.",
            content = @Content(schema = @Schema(implementation = ImageTags.class)))
    public ImageTags tags(@PathParam("id") UUID id) {
        return service.tags(callers.current(), id);
    }
}
