package io.berth.image;

import java.net.URI;
import java.util.UUID;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.JsonBodies;
import io.berth.api.Page;
import io.berth.api.PageParams;
import io.berth.api.Preconditions;
import io.berth.image.ContainerImageDtos.ContainerImageCreate;
import io.berth.image.ContainerImageDtos.ContainerImageView;
import io.berth.security.CallerContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The container images of one environment. A class of its own: JAX-RS picks the root resource by
 * its path first, and /api/environments would otherwise swallow these routes.
 */
@Path("/api/environments/{envId}/container-images")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Container images", description = "Repositories tracked per environment, with a tag filter.")
public class EnvironmentContainerImageResource {

    private final ContainerImageService service;
    private final CallerContext callers;
    private final JsonBodies bodies;

    public EnvironmentContainerImageResource(ContainerImageService service, CallerContext callers, JsonBodies bodies) {
        this.service = service;
        this.callers = callers;
        this.bodies = bodies;
    }

    @GET
        @SecurityRequirement(name = "bearer", scopes = "container-images:read")
    @Operation(operationId = "listContainerImages", summary = "List the container images of an environment",
            description = "Needs container-images:read.")
    public Page<ContainerImageView> list(@PathParam("envId") UUID environmentId, @BeanParam PageParams page) {
        return service.list(callers.current(), environmentId, page.request()).map(ContainerImageView::of);
    }

    @POST
        @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer", scopes = "container-images:write")
    @Operation(operationId = "createContainerImage", summary = "Track a container image",
            description = "Discovers the best matching tag right away; a registry failure does not fail the creation "
                    + "but is stored in lastCheckError. Needs container-images:write and role operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ContainerImageCreate.class)))
    @APIResponse(responseCode = "201", description = "Created.",
            content = @Content(schema = @Schema(implementation = ContainerImageView.class)))
    public Response create(@PathParam("envId") UUID environmentId, JsonNode body) {
        var request = bodies.bind(body, ContainerImageCreate.class, ContainerImageDtos.READ_ONLY_ON_CREATE);
        ContainerImage image = service.create(callers.current(), environmentId, request);
        return Preconditions.created(URI.create("/api/container-images/" + image.id), ContainerImageView.of(image),
                image.version);
    }
}
