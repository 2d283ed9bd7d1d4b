package io.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tag filters and the best-tag rule, table-driven over real-world tag sets. */
class TagSelectionTest {

    private static final String NGINX = "latest,stable,mainline,alpine,1.25,1.25-alpine,1.25.3,1.25.3-alpine,1.25.4,"
            + "1.25.4-alpine,1.26,1.26-alpine,1.26.0,1.26.0-alpine,1.26.1-alpine,1.27.0-rc.1,perl,1.26.0-perl";
    private static final String APP = "v1.0.0,v1.1.0,v1.2.0-rc.1,v1.2.0-rc.2,v1.10.0-beta.1,v0.9.9,latest,main-3f2a1c9";
    private static final String PLAIN = "1.0.0,1.1.0,1.2.0-rc.1";
    private static final String DATES = "2024-01-15,2024-02-01,2023-12-31,2024-02-01-hotfix,nightly";
    private static final String BUILDS = "build-99,build-100,build-7,build-1000-rc1,latest";
    private static final String NUMBERS = "1,2,10,9,10.1,latest";
    private static final String RCS = "2.0.0-rc.1,2.0.0-rc.2,2.0.0-rc.10,1.9.0-rc.1";
    private static final String CALVER = "2025.08.0,2025.10.2,2025.11.0,2025.11.1,2026.01.0,2026.02.0,latest";
    private static final String MIXED = "1.1.9,1.2,1.2-rc.1,v1.1.10,1.2.0-beta.2,1.0-alpine";

    @ParameterizedTest(name = "{1} over {0} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "PLAIN   | 1.*                       | 1.1.0",
        "PLAIN   | *                         | 1.1.0",
        "PLAIN   | semver:^1.0               | 1.1.0",
        "PLAIN   | semver:>=1.2.0-rc.0 <2    | 1.2.0-rc.1",
        "PLAIN   | semver-pre:^1.0           | 1.2.0-rc.1",
        "PLAIN   | *-rc.*                    | 1.2.0-rc.1",
        "PLAIN   | regex:1\\.[01]\\.\\d+     | 1.1.0",
        "PLAIN   | 2.*                       | -",
        "NGINX   | latest                    | latest",
        "NGINX   | 1.*                       | 1.26.0",
        "NGINX   | 1.25.*                    | 1.25.4",
        "NGINX   | *-alpine                  | 1.26.1-alpine",
        "NGINX   | 1.26*-alpine              | 1.26.1-alpine",
        "NGINX   | stable,mainline           | stable",
        "NGINX   | semver:~1.25              | 1.25.4",
        "NGINX   | semver:1.x                | 1.26.0",
        "NGINX   | *                         | 1.26.0",
        "NGINX   | *-rc.*                    | 1.27.0-rc.1",
        "APP     | v1.*                      | v1.1.0",
        "APP     | semver:^1                 | v1.1.0",
        "APP     | semver:>=1.2.0-rc.0 <2    | v1.2.0-rc.2",
        "APP     | semver:>=1.10.0-beta.0    | v1.10.0-beta.1",
        "APP     | v1.2.0-*                  | v1.2.0-rc.2",
        "APP     | main-*                    | main-3f2a1c9",
        "APP     | regex:v\\d+\\.\\d+\\.\\d+ | v1.1.0",
        "APP     | semver:<1                 | v0.9.9",
        "DATES   | 2024-*                    | 2024-02-01-hotfix",
        "DATES   | regex:\\d{4}-\\d{2}-\\d{2} | 2024-02-01",
        "DATES   | nightly                   | nightly",
        "BUILDS  | build-*                   | build-100",
        "NUMBERS | *                         | 10.1",
        "NUMBERS | regex:\\d+                | 10",
        "RCS     | *                         | 2.0.0-rc.10",
        "RCS     | semver:^1                 | -",
        "RCS     | semver:>=2.0.0-rc.1       | 2.0.0-rc.10",
        "CALVER  | 20*                       | 2026.02.0",
        "CALVER  | regex:^\\d{4}\\.\\d{2}\\.\\d+$ | 2026.02.0",
        "CALVER  | *                         | 2026.02.0",
        "CALVER  | 2025.*                    | 2025.11.1",
        "MIXED   | *                         | 1.2",
        "MIXED   | 1.1*,v1.1*                | v1.1.10",
        "MIXED   | *-*                       | 1.0-alpine",
    })
    void choosesTheBestTag(String set, String filter, String expected) {
        List<String> tags = Arrays.asList(Map.of("PLAIN", PLAIN, "NGINX", NGINX, "APP", APP, "DATES", DATES,
                "BUILDS", BUILDS, "NUMBERS", NUMBERS, "RCS", RCS, "CALVER", CALVER, "MIXED", MIXED).get(set.trim()).split(","));
        TagFilter parsed = TagFilter.parse(filter.trim());
        assertEquals(expected, TagOrder.best(parsed.filter(tags), parsed, t -> null).orElse(null));
    }

    @Test
    void tiesGoToTheImageCreatedLast() {
        TagFilter all = TagFilter.parse("*");
        Map<String, Instant> created = Map.of("build-07", Instant.parse("2024-01-01T00:00:00Z"),
                "build-7", Instant.parse("2024-03-01T00:00:00Z"));
        assertEquals("build-7", TagOrder.best(List.of("build-07", "build-7"), all, created::get).orElseThrow());
        assertEquals("build-07", TagOrder.best(List.of("build-07", "build-7"), all,
                t -> t.equals("build-07") ? Instant.MAX : Instant.MIN).orElseThrow());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''", "'   '", "1.*,,2.*", "bad tag", "1.*/x", "semver:", "semver:banana", "semver:>=1.0; drop",
        "regex:", "regex:([a-z", "regex:(.*a){12}",
    })
    void refusesUnusableFilters(String filter) {
        TagFilter.InvalidFilterException e = assertThrows(TagFilter.InvalidFilterException.class, () -> TagFilter.parse(filter));
        assertTrue(e.hint() != null && !e.hint().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({ "1.2.0-rc.1,true", "2.0-beta,true", "3.0.0-alpha.2,true", "1.0.0-M2,true", "5-rc1,true",
        "1.25-alpine,false", "1.2.3-slim,false", "latest,false", "2024-02-01,false", "1.0.0-beta-2,true",
        "build-1000-rc1,true", "main-dev,false", "2024-02-01-hotfix,false", "v2.0.0-RC3,true" })
    void knowsPreReleases(String tag, boolean preRelease) {
        assertEquals(preRelease, TagOrder.isPreRelease(tag));
    }

    @ParameterizedTest(name = "{0} > {1}")
    @CsvSource({ "2026.02.0,2025.11.1", "1.2,1.1.9", "v1.10.0,1.9.9", "1.2,1.2-rc.1", "1.2.0,1.2.0-rc.9",
        "1.2.0-rc.10,1.2.0-rc.9", "2.0-beta,1.9", "10.1,10", "1.2.0,1.2", "20240301,20240229", "1,latest",
        "2024-02-01,2024-01-15" })
    void oneNumericOrderForEveryVersionLikeTag(String higher, String lower) {
        assertTrue(TagOrder.ORDER.compare(higher, lower) > 0, higher + " > " + lower);
        assertTrue(TagOrder.ORDER.compare(lower, higher) < 0, lower + " < " + higher);
    }

    @ParameterizedTest
    @CsvSource({ "1.10,1.9,1", "20240301,20240229,1", "build-99,build-100,-1", "a,b,-1", "1.2,1.2,0", "01,1,0",
        "1.2,1.2a,-1" })
    void naturalOrderReadsNumbers(String a, String b, int sign) {
        assertEquals(sign, Integer.signum(TagOrder.natural(a, b)));
    }
}
