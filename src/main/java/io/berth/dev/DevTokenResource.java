package io.berth.dev;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.berth.api.ApiException;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.build.Jwt;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /dev/token}: a signed token for trying the API in dev mode. Built into dev mode only
 * ({@code @IfBuildProfile("dev")}): the packaged application has no such route. Tokens are signed
 * with the in-memory key pair Quarkus's smallrye-jwt makes in dev mode when no key is configured,
 * and carry the dev issuer, which no production configuration accepts.
 */
@Path("/dev/token")
@IfBuildProfile("dev")
public class DevTokenResource {

    /** The company dev tokens belong to unless another is asked for. */
    public static final String DEV_COMPANY = "00000000-0000-4000-8000-000000000001";
    static final String ALL_SCOPES = "environments:read environments:write environments:delete"
            + " registries:read registries:write registries:delete"
            + " container-images:read container-images:write container-images:delete"
            + " applications:read applications:write applications:delete events:read"
            + " webhooks:read webhooks:write webhooks:delete";

    /** Not io.quarkus.logging.Log: its build-time rewrite would put this class into production builds. */
    private static final Logger LOG = Logger.getLogger(DevTokenResource.class);

    /** The dev profile's issuer ({@code %dev.mp.jwt.verify.issuer}, berth-dev). */
    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String issuer;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(hidden = true)
    public String token(@QueryParam("role") @DefaultValue("admin") String role,
            @QueryParam("company") @DefaultValue(DEV_COMPANY) String company,
            @QueryParam("sub") @DefaultValue("dev-admin") String subject,
            @QueryParam("scope") @DefaultValue(ALL_SCOPES) String scope) {
        try {
            UUID.fromString(company);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("company", "company must be a UUID.", null);
        }
        return Jwt.issuer(issuer).subject(subject).groups(role)
                .claim("company_id", company).claim("scope", scope)
                .expiresIn(Duration.ofHours(12)).sign();
    }

    void announce(@Observes StartupEvent started, @ConfigProperty(name = "quarkus.http.port") int port) {
        LOG.infof("Dev mode: get an admin token with  TOKEN=$(curl -s localhost:%d/dev/token)", port);
    }
}
