package io.berth.security;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;

import io.berth.api.ApiException;
import io.berth.api.ErrorCode;
import io.berth.api.ExceptionMappers;
import io.berth.api.RateLimiter;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates, rate-limits and authorizes every operation. The rule of an operation is its
 * OpenAPI {@code @SecurityRequirement(name = "bearer", scopes = "<resource>:<action>")}, so the
 * published document and the enforcement can never disagree. Operations without one are public.
 */
public class AccessFilter {

    public static final String TENANT_CLAIM = "company_id";

    @Inject
    CurrentIdentityAssociation identities;
    @Inject
    CallerContext callerContext;
    @Inject
    RateLimiter rateLimiter;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void filter(ContainerRequestContext request, ResourceInfo resourceInfo, HttpServerRequest http) {
        Access access = accessOf(resourceInfo.getResourceMethod());
        if (access == null) {
            return;
        }
        SecurityIdentity identity;
        try {
            identity = identities.getIdentity();
        } catch (AuthenticationFailedException e) {
            identity = null;
        }
        boolean authenticated = identity != null && !identity.isAnonymous()
                && identity.getPrincipal() instanceof JsonWebToken;
        JsonWebToken token = authenticated ? (JsonWebToken) identity.getPrincipal() : null;
        rateLimiter.acquire(request, authenticated ? rateKey(token) : "ip:" + remoteAddress(http));
        if (!authenticated) {
            throw ExceptionMappers.unauthorized("Missing, malformed, expired or wrongly signed bearer token.");
        }
        Caller caller = callerOf(token);
        if (!caller.scopes().contains(access.scope())) {
            throw new ApiException(ErrorCode.FORBIDDEN_SCOPE, "The token lacks the scope \"" + access.scope() + "\".",
                    null, "Request a token whose 'scope' claim includes " + access.scope() + ".");
        }
        if (!caller.role().atLeast(access.minimumRole())) {
            throw new ApiException(ErrorCode.FORBIDDEN_ROLE, "This operation needs the role \""
                    + access.minimumRole().claimValue() + "\" or higher; the token has \"" + caller.role().claimValue()
                    + "\".", null, "Ask an administrator of your company for the operator role.");
        }
        callerContext.set(caller);
    }

    static Access accessOf(Method method) {
        if (method == null) {
            return null;
        }
        SecurityRequirement requirement = method.getAnnotation(SecurityRequirement.class);
        return requirement == null || requirement.scopes().length == 0 ? null : Access.parse(requirement.scopes()[0]);
    }

    private static String rateKey(JsonWebToken token) {
        Object company = token.getClaim(TENANT_CLAIM);
        return "caller:" + company + "/" + token.getSubject();
    }

    private static String remoteAddress(HttpServerRequest http) {
        return http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
    }

    static Caller callerOf(JsonWebToken token) {
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw ExceptionMappers.unauthorized("The token has no 'sub' claim.");
        }
        UUID company = companyOf(token.getClaim(TENANT_CLAIM));
        Role role = Role.strongestOf(token.getGroups() == null ? Set.of() : token.getGroups())
                .orElseThrow(() -> new ApiException(ErrorCode.FORBIDDEN_ROLE,
                        "The token carries no role; one of admin, operator or viewer is needed in 'groups'.", null,
                        "Ask an administrator of your company to grant you a role."));
        return new Caller(company, subject, role, scopesOf(token.getClaim("scope")));
    }

    private static UUID companyOf(Object claim) {
        String value = claim instanceof JsonString json ? json.getString() : claim == null ? null : claim.toString();
        try {
            return UUID.fromString(value);
        } catch (RuntimeException e) {
            throw ExceptionMappers.unauthorized("The token has no valid '" + TENANT_CLAIM + "' claim (a UUID).");
        }
    }

    private static Set<String> scopesOf(Object claim) {
        Set<String> scopes = new LinkedHashSet<>();
        if (claim instanceof JsonArray array) {
            array.forEach(v -> scopes.add(v instanceof JsonString s ? s.getString() : v.toString()));
        } else if (claim != null) {
            String text = claim instanceof JsonString s ? s.getString() : claim.toString();
            scopes.addAll(Arrays.asList(text.trim().split("\\s+")));
        }
        return scopes;
    }
}
