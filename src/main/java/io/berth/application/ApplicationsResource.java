package io.berth.application;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.berth.api.Page;
import io.berth.api.PageParams;
import io.berth.application.ApplicationDtos.ApplicationView;
import io.berth.application.ApplicationDtos.HostnameView;
import io.berth.security.CallerContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Company-wide application views. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Applications")
public class ApplicationsResource {

    private final ApplicationService service;
    private final Hostnames hostnames;
    private final CallerContext callers;

    public ApplicationsResource(ApplicationService service, Hostnames hostnames, CallerContext callers) {
        this.service = service;
        this.hostnames = hostnames;
        this.callers = callers;
    }

    @GET
    @Path("/apps")
    @SecurityRequirement(name = "bearer", scopes = "applications:read")
    @Operation(operationId = "listAllApplications", summary = "List the applications of every environment",
            description = "All live applications of the caller's company. Needs applications:read.")
    public Page<ApplicationView> all(@BeanParam PageParams page) {
        return service.list(callers.current(), null, page.request()).map(ApplicationView::of);
    }

    @GET
    @Path("/hostname/generate")
    @SecurityRequirement(name = "bearer", scopes = "applications:read")
    @Operation(operationId = "generateHostname", summary = "Generate a hostname",
            description = "A fresh <name>-<6 random [a-z0-9]> hostname, DNS-1123 valid, at most 63 characters, not "
                    + "used by any application now (it is not reserved). Needs applications:read.")
    public HostnameView generate(@QueryParam("name") String name) {
        return new HostnameView(hostnames.generate(name));
    }
}
