package io.berth.testsupport;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * Operations that exist only in @QuarkusTest applications (test classes are not packaged): a bug
 * that throws, and a slow write for the concurrent idempotency case.
 */
@Path("/test-only")
@Produces(MediaType.APPLICATION_JSON)
public class TestOnlyResource {

    public record Echo(JsonNode received, long at) {
    }

    @GET
    @Path("/boom")
    @Operation(hidden = true)
    @SecurityRequirement(name = "bearer", scopes = "environments:read")
    public String boom() {
        throw new IllegalStateException("secret internal detail: password=hunter2");
    }

    @POST
    @Path("/slow")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    @SecurityRequirement(name = "bearer", scopes = "environments:write")
    public Echo slow(JsonNode body) throws InterruptedException {
        Thread.sleep(1500);
        return new Echo(body, System.nanoTime());
    }
}
