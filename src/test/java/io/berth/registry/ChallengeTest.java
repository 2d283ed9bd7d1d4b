package io.berth.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChallengeTest {

    @Test
    void parsesDockerHubsBearerChallenge() {
        List<Challenge> challenges = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\","
                + "service=\"registry.docker.io\",scope=\"repository:library/nginx:pull\",error=\"insufficient_scope\"");
        assertEquals(1, challenges.size());
        Challenge c = challenges.get(0);
        assertTrue(c.isBearer());
        assertEquals("https://auth.docker.io/token", c.param("realm"));
        assertEquals("registry.docker.io", c.param("service"));
        assertEquals("repository:library/nginx:pull", c.param("scope"));
        assertEquals("insufficient_scope", c.param("error"));
    }

    @Test
    void severalChallengesInOneHeaderPreferBearer() {
        List<Challenge> challenges = Challenge.parse("Basic realm=\"Registry Realm\", Bearer realm=\"https://r/t\",service=s");
        assertEquals(2, challenges.size());
        assertEquals("Registry Realm", challenges.get(0).param("realm"));
        assertEquals("s", challenges.get(1).param("service"));
        assertTrue(Challenge.preferred(List.of("Basic realm=\"x\"", "Bearer realm=\"https://r/t\"")).orElseThrow().isBearer());
        assertTrue(Challenge.preferred(List.of("Basic realm=\"x\"")).orElseThrow().isBasic());
        assertTrue(Challenge.preferred(List.of("Negotiate", "Digest realm=x")).isEmpty());
    }

    @Test
    void quotedValuesMayHoldCommasAndEscapes() {
        Challenge c = Challenge.parse("bearer realm=\"https://r/t?a=1,b=2\", scope=\"repository:a:pull,push\", x=\"q\\\"d\"")
                .get(0);
        assertEquals("https://r/t?a=1,b=2", c.param("realm"));
        assertEquals("repository:a:pull,push", c.param("scope"));
        assertEquals("q\"d", c.param("x"));
    }

    @Test
    void garbageNeverThrows() {
        Challenge.parse("=,,\"unterminated");
        Challenge.parse("");
        Challenge.parse(null);
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertEquals(120, Exchange.retryAfterSeconds("120"));
        assertEquals(0, Exchange.retryAfterSeconds(null));
        assertEquals(0, Exchange.retryAfterSeconds("soon"));
        String inAMinute = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(61).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        long seconds = Exchange.retryAfterSeconds(inAMinute);
        assertTrue(seconds >= 58 && seconds <= 61, "HTTP-date: " + seconds);
    }
}
