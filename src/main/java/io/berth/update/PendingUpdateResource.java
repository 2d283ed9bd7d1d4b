package io.berth.update;

import java.util.Locale;
import java.util.UUID;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.berth.api.ApiException;
import io.berth.api.Page;
import io.berth.api.PageParams;
import io.berth.api.Preconditions;
import io.berth.security.CallerContext;
import io.berth.update.PendingUpdate.Status;
import io.berth.update.PendingUpdateDtos.PendingUpdateView;

/**
 * The pending updates of an environment (autoUpdatePolicy approve): list, approve, reject. A class
 * of its own under /api/environments/{envId}, as the environment's container images are.
 */
@Path("/api/environments/{envId}/pending-updates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pending updates", description = "Candidate auto-updates waiting for approval in environments whose "
        + "autoUpdatePolicy is approve.")
public class PendingUpdateResource {

    private final PendingUpdates service;
    private final CallerContext callers;

    public PendingUpdateResource(PendingUpdates service, CallerContext callers) {
        this.service = service;
        this.callers = callers;
    }

    @GET
    @SecurityRequirement(name = "bearer", scopes = "applications:read")
    @Operation(operationId = "listPendingUpdates", summary = "List the pending updates of an environment",
            description = "Newest first; by default only those waiting for a decision. Needs applications:read.")
    public Page<PendingUpdateView> list(@PathParam("envId") UUID environmentId,
            @Parameter(description = "pending (default), approved, rejected, superseded, or all.",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "pending", "approved", "rejected",
                            "superseded", "all" }, defaultValue = "pending")) @QueryParam("status") String status,
            @BeanParam PageParams page) {
        return service.list(callers.current(), environmentId, status(status), page.request()).map(PendingUpdateView::of);
    }

    @POST
    @Path("/{id}/approve")
    @SecurityRequirement(name = "bearer", scopes = "applications:write")
    @Operation(operationId = "approvePendingUpdate", summary = "Approve a pending update",
            description = "Checks the candidate against the registry again (its tag must still give toDigest) and "
                    + "moves the application to it: a new application version whose history names the approver as "
                    + "changedBy, and the events io.berth.application.image.updated and io.berth.update.approved. "
                    + "409 when the update is not pending, or when it is stale (the tag now gives another digest or is "
                    + "gone, the application was deleted or runs another image): a stale update is superseded and the "
                    + "next check proposes the current candidate. A registry that cannot be reached is 503 and the "
                    + "update stays pending. Needs applications:write and role operator or admin.")
    @APIResponse(responseCode = "200", description = "The approved pending update; ETag carries its version.",
            content = @Content(schema = @Schema(implementation = PendingUpdateView.class)))
    public Response approve(@PathParam("envId") UUID environmentId, @PathParam("id") UUID id) {
        PendingUpdate approved = service.approve(callers.current(), environmentId, id);
        return Preconditions.ok(PendingUpdateView.of(approved), approved.version);
    }

    @POST
    @Path("/{id}/reject")
    @SecurityRequirement(name = "bearer", scopes = "applications:write")
    @Operation(operationId = "rejectPendingUpdate", summary = "Reject a pending update",
            description = "The application stays where it is and this candidate (its digest) is never proposed again "
                    + "for it; a newer candidate is. Emits io.berth.update.rejected. 409 when the update is not "
                    + "pending. Needs applications:write and role operator or admin.")
    @APIResponse(responseCode = "200", description = "The rejected pending update; ETag carries its version.",
            content = @Content(schema = @Schema(implementation = PendingUpdateView.class)))
    public Response reject(@PathParam("envId") UUID environmentId, @PathParam("id") UUID id) {
        PendingUpdate rejected = service.reject(callers.current(), environmentId, id);
        return Preconditions.ok(PendingUpdateView.of(rejected), rejected.version);
    }

    /** The status filter: null for all. */
    private static Status status(String status) {
        if (status == null) {
            return Status.PENDING;
        }
        if (status.equals("all")) {
            return null;
        }
        for (Status s : Status.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(status)) {
                return s;
            }
        }
        throw ApiException.validation("status", "status must be one of pending, approved, rejected, superseded, all.",
                "Leave status out to list the updates waiting for a decision.");
    }
}
