package io.berth.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.berth.registry.ImageReference.InvalidReferenceException;
import io.berth.registry.ImageReference.Part;

class ImageReferenceTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        // input                                              registry                 repository            tag        digest
        "nginx,                                               docker.io,               library/nginx,        -,         -",
        "nginx:1.25-alpine,                                   docker.io,               library/nginx,        1.25-alpine, -",
        "library/nginx,                                       docker.io,               library/nginx,        -,         -",
        "docker.io/nginx,                                     docker.io,               library/nginx,        -,         -",
        "index.docker.io/library/nginx:latest,                docker.io,               library/nginx,        latest,    -",
        "registry-1.docker.io/bitnami/redis:7,                docker.io,               bitnami/redis,        7,         -",
        "bitnami/redis,                                       docker.io,               bitnami/redis,        -,         -",
        "ghcr.io/org/app,                                     ghcr.io,                 org/app,              -,         -",
        "GHCR.IO/org/app:v1,                                  ghcr.io,                 org/app,              v1,        -",
        "registry.example.com:5000/team/app:v2.0.0,           registry.example.com:5000, team/app,           v2.0.0,    -",
        "localhost/app,                                       localhost,               app,                  -,         -",
        "localhost:5000/a/b/c:x_y,                            localhost:5000,          a/b/c,                x_y,       -",
        "127.0.0.1:5000/app,                                  127.0.0.1:5000,          app,                  -,         -",
        "[::1]:5000/app,                                      [::1]:5000,              app,                  -,         -",
        "Registry/app,                                        registry,                app,                  -,         -",
        "my-org/my_app.name__x,                               docker.io,               my-org/my_app.name__x, -,        -",
        "a--b/c,                                              docker.io,               a--b/c,               -,         -",
        "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, docker.io, library/nginx, -, sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "ghcr.io/o/a:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, ghcr.io, o/a, v1, sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    })
    void parsesAndNormalizes(String input, String registry, String repository, String tag, String digest) {
        ImageReference ref = ImageReference.parse(input);
        assertEquals(registry, ref.registry());
        assertEquals(repository, ref.repository());
        assertEquals(tag, ref.tag());
        assertEquals(digest, ref.digest());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'',                         NAME",
        "Nginx,                      NAME",
        "docker.io/Library/nginx,    NAME",
        "-nginx,                     NAME",
        "nginx-,                     NAME",
        "a//b,                       NAME",
        "a/b/,                       NAME",
        "a___b,                      NAME",
        "nginx:,                     TAG",
        "nginx:-bad,                 TAG",
        "nginx:.bad,                 TAG",
        "nginx:bad/tag,              NAME",
        "nginx@sha256:abc,           DIGEST",
        "nginx@sha256:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF, DIGEST",
        "nginx@md5,                  DIGEST",
        "exa_mple.com/app,           NAME",
        "web127.0.0.1:5000/app,      NAME",
        "example.com:99999/app,      NAME",
        "' nginx',                   NAME",
        "'nginx	',                  NAME",
        "'nginx:v1 ',                TAG",
    })
    void refusesInvalidReferencesNamingThePart(String input, Part part) {
        InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(input));
        assertEquals(part, e.part(), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({ "a:b", "ghcr.io/org/app:v1", "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" })
    void namesAloneCarryNoTagOrDigest(String input) {
        assertEquals(Part.NAME, assertThrows(InvalidReferenceException.class, () -> ImageReference.parseName(input)).part());
    }

    @ParameterizedTest
    @CsvSource({ "x,128,true", "x,129,false" })
    void tagsAreAtMost128Characters(String c, int length, boolean valid) {
        String tag = c.repeat(length);
        if (valid) {
            assertEquals(tag, ImageReference.validTag(tag));
        } else {
            assertThrows(InvalidReferenceException.class, () -> ImageReference.validTag(tag));
        }
    }

    @ParameterizedTest
    @CsvSource({ "nginx, nginx", "docker.io/library/nginx, nginx", "bitnami/redis, bitnami/redis", "ghcr.io/o/a, ghcr.io/o/a" })
    void familiarNamesAreShort(String input, String familiar) {
        assertEquals(familiar, ImageReference.parseName(input).familiarName());
    }

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({
        // a single-label host is the registry it names, not a Docker Hub namespace
        "registry,        org/app,  registry,        org/app",
        "docker.io,       nginx,    docker.io,       library/nginx",
        "ghcr.io,         org/app,  ghcr.io,         org/app",
        "localhost:5000,  a/b,      localhost:5000,  a/b",
    })
    void aRepositoryPathOnAKnownHostKeepsThatHost(String host, String path, String registry, String repository) {
        ImageReference ref = ImageReference.inRegistry(host, path);
        assertEquals(registry, ref.registry());
        assertEquals(repository, ref.repository());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Org/app", "org/app:v1", "org//app", "org/app@sha256:abc"})
    void aRepositoryPathIsValidatedOnAKnownHostToo(String path) {
        assertEquals(Part.NAME, assertThrows(InvalidReferenceException.class,
                () -> ImageReference.inRegistry("registry", path)).part());
    }
}
