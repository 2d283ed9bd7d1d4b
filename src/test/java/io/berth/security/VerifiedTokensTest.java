package io.berth.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** Verified tokens are remembered until they expire, never beyond, and never when refused. */
@QuarkusTest
class VerifiedTokensTest {

    @Inject
    JWTParser parser;

    @Test
    void aTokenIsVerifiedOnceAndRememberedUntilItsExpiry() throws Exception {
        String token = Tokens.claims(UUID.randomUUID(), "alice", "admin", Tokens.ALL_SCOPES)
                .expiresIn(Duration.ofSeconds(3)).sign(Tokens.key("keys/test-private.pem"));
        JsonWebToken first = parser.parse(token);
        assertSame(first, parser.parse(token), "the second use is answered from memory");

        Thread.sleep((first.getExpirationTime() + 1) * 1000 - System.currentTimeMillis());
        // Past exp the memory is no help: the full verification runs again (and applies the
        // configured clock skew, which here still lets the token through).
        assertNotSame(first, parser.parse(token));
    }

    @Test
    void aTokenWithAChangedSignatureIsRefusedAfterTheGenuineOneWasRemembered() {
        UUID company = UUID.randomUUID();
        String token = Tokens.admin(company);
        given().auth().oauth2(token).get("/api/environments").then().statusCode(200);
        given().auth().oauth2(token).get("/api/environments").then().statusCode(200);

        char last = token.charAt(token.length() - 2);
        String forged = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        assertThrows(ParseException.class, () -> parser.parse(forged));
        given().auth().oauth2(forged).get("/api/environments").then().statusCode(401);
        given().auth().oauth2(forged).get("/api/environments").then().statusCode(401);
    }

    @Test
    void anExpiredTokenIsNeverRemembered() {
        String expired = Tokens.claims(UUID.randomUUID(), "alice", "admin", Tokens.ALL_SCOPES)
                .expiresIn(Duration.ofSeconds(-600)).sign(Tokens.key("keys/test-private.pem"));
        for (int i = 0; i < 2; i++) {
            assertThrows(ParseException.class, () -> parser.parse(expired));
            given().auth().oauth2(expired).get("/api/environments").then().statusCode(401);
        }
    }
}
