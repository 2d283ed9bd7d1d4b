package io.berth.update;

import java.util.UUID;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.berth.api.DryRun;
import io.berth.api.Preconditions;
import io.berth.image.ContainerImageDtos.ContainerImageView;
import io.berth.security.CallerContext;
import io.berth.update.RolloutDtos.CheckView;

/**
 * {@code POST /api/container-images/{id}/check-updates}: discovery now, then the rollout of
 * linked applications. Here rather than beside the other container-image operations because
 * it moves applications, which the image feature does not know.
 */
@Path("/api/container-images/{id}/check-updates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Container images")
public class CheckUpdatesResource {

    private final Rollouts rollouts;
    private final CallerContext callers;

    public CheckUpdatesResource(Rollouts rollouts, CallerContext callers) {
        this.rollouts = rollouts;
        this.callers = callers;
    }

    @POST
    @SecurityRequirement(name = "bearer", scopes = "container-images:write")
    @Operation(operationId = "checkContainerImageUpdates", summary = "Check the registry for updates now",
            description = "Lists every tag, applies the filter, chooses the candidate by updateStrategy and reads its "
                    + "digest, platforms and exposed ports. With autoUpdate, the environment's applications linked to "
                    + "the image move to their candidate (never backwards, same variant, platforms kept, digest pinned, "
                    + "after minTagAgeMinutes) as the environment's autoUpdatePolicy says: auto moves them, approve "
                    + "proposes the candidate as a pending update, off leaves them; rollout lists each with update, "
                    + "skip or propose and why. ?dryRun=true or X-Dry-Run: true answers the plan and stores nothing. "
                    + "Unknown repository or rejected credentials: 400; registry unreachable or rate-limiting: 503 "
                    + "with Retry-After (either way lastCheckError is stored and no application changes). Needs "
                    + "container-images:write and role operator or admin.")
    @APIResponse(responseCode = "200", description = "The container image with what was found, and the rollout.",
            content = @Content(schema = @Schema(implementation = CheckView.class)))
    public Response check(@PathParam("id") UUID id,
            @Parameter(description = "Plan only.") @QueryParam(DryRun.QUERY) String dryRunQuery,
            @HeaderParam(DryRun.HEADER) String dryRunHeader) {
        boolean dryRun = DryRun.requested(dryRunQuery, dryRunHeader);
        Rollouts.Report report = rollouts.check(callers.current(), id, dryRun);
        Response response = Preconditions.ok(new CheckView(ContainerImageView.of(report.image()), report.steps()),
                report.image().version);
        return dryRun ? Response.fromResponse(response).header(DryRun.HEADER, "true").build() : response;
    }
}
