package io.berth.webhook;

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
import io.berth.security.Caller;
import io.berth.security.CallerContext;
import io.berth.webhook.WebhookDtos.DeliveryView;
import io.berth.webhook.WebhookDtos.WebhookCreate;
import io.berth.webhook.WebhookDtos.WebhookPatch;
import io.berth.webhook.WebhookDtos.WebhookView;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Subscriptions that receive your company's change events, signed (Standard Webhooks).")
public class WebhookResource {

    private final WebhookService service;
    private final CallerContext callers;
    private final JsonBodies bodies;

    public WebhookResource(WebhookService service, CallerContext callers, JsonBodies bodies) {
        this.service = service;
        this.callers = callers;
        this.bodies = bodies;
    }


    @GET
    @SecurityRequirement(name = "bearer", scopes = "webhooks:read")
    @Operation(operationId = "listWebhooks", summary = "List webhook subscriptions",
            description = "Needs webhooks:read. Secrets are never returned.")
    public Page<WebhookView> list(@BeanParam PageParams page) {
        return service.list(callers.current(), page.request()).map(WebhookView::of);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "bearer", scopes = "webhooks:write")
    @Operation(operationId = "createWebhook", summary = "Subscribe a URL to change events",
            description = "Events committed after this are POSTed to url as CloudEvents (application/cloudevents+json),"
                    + " signed with secret (write-only, stored encrypted). Needs webhooks:write and role operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = WebhookCreate.class)))
    @APIResponse(responseCode = "201", description = "Created.",
            content = @Content(schema = @Schema(implementation = WebhookView.class)))
    public Response create(JsonNode body) {
        WebhookCreate request = bodies.bind(body, WebhookCreate.class, WebhookDtos.READ_ONLY);
        service.validate(request, true);
        Webhook created = service.create(callers.current(), request);
        return Preconditions.created(URI.create("/api/webhooks/" + created.id), WebhookView.of(created), created.version);
    }

    @GET
    @Path("/{id}")
    @SecurityRequirement(name = "bearer", scopes = "webhooks:read")
    @Operation(operationId = "getWebhook", summary = "Get a webhook subscription", description = "Needs webhooks:read.")
    @APIResponse(responseCode = "200", description = "The subscription; ETag carries its version.",
            content = @Content(schema = @Schema(implementation = WebhookView.class)))
    public Response get(@PathParam("id") UUID id) {
        Webhook w = service.get(callers.current(), id);
        return Preconditions.ok(WebhookView.of(w), w.version);
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ MediaType.APPLICATION_JSON, MediaTypes.MERGE_PATCH_JSON })
    @SecurityRequirement(name = "bearer", scopes = "webhooks:write")
    @Operation(operationId = "updateWebhook", summary = "Update a webhook subscription",
            description = "Merge-patch: absent fields (secret included) are unchanged. Needs webhooks:write and role"
                    + " operator or admin.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = WebhookPatch.class)))
    @APIResponse(responseCode = "200", description = "The updated subscription.",
            content = @Content(schema = @Schema(implementation = WebhookView.class)))
    public Response patch(@PathParam("id") UUID id, @HeaderParam(Preconditions.IF_MATCH) String ifMatch, JsonNode body) {
        Preconditions preconditions = Preconditions.ifMatch(ifMatch);
        bodies.checkPatch(body, WebhookDtos.PATCH);
        service.validatePatchUrl(body);
        Webhook w = service.patch(callers.current(), id, preconditions,
                current -> bodies.merge(body, WebhookView.of(current), WebhookCreate.class, WebhookDtos.PATCH));
        return Preconditions.ok(WebhookView.of(w), w.version);
    }

    @DELETE
    @Path("/{id}")
    @SecurityRequirement(name = "bearer", scopes = "webhooks:delete")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook subscription",
            description = "Its pending deliveries are dropped. Needs webhooks:delete and role operator or admin.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    public Response delete(@PathParam("id") UUID id, @HeaderParam(Preconditions.IF_MATCH) String ifMatch) {
        service.delete(callers.current(), id, Preconditions.ifMatch(ifMatch));
        return Response.noContent().build();
    }


    @GET
    @Path("/{id}/deliveries")
    @SecurityRequirement(name = "bearer", scopes = "webhooks:read")
    @Operation(operationId = "listWebhookDeliveries", summary = "List a subscription's deliveries",
            description = "Newest event first, each with its attempts (status, duration, error). Needs webhooks:read.")
    public Page<DeliveryView> deliveries(@PathParam("id") UUID id, @BeanParam PageParams page) {
        return service.deliveries(callers.current(), id, page.request());
    }
}
