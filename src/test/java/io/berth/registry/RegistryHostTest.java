package io.berth.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.berth.registry.ImageReference.InvalidReferenceException;
import io.berth.registry.ImageReference.Part;

class RegistryHostTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // input                      name                       apiHost                    apiHostname           hostname
        "docker.io,                   docker.io,                 registry-1.docker.io,      registry-1.docker.io, docker.io",
        "index.docker.io,             docker.io,                 registry-1.docker.io,      registry-1.docker.io, docker.io",
        "registry-1.docker.io,        docker.io,                 registry-1.docker.io,      registry-1.docker.io, docker.io",
        "registry.hub.docker.com,     docker.io,                 registry-1.docker.io,      registry-1.docker.io, docker.io",
        "Docker.IO,                   docker.io,                 registry-1.docker.io,      registry-1.docker.io, docker.io",
        "ghcr.io,                     ghcr.io,                   ghcr.io,                   ghcr.io,              ghcr.io",
        "GHCR.io,                     ghcr.io,                   ghcr.io,                   ghcr.io,              ghcr.io",
        "registry.example.com:5000,   registry.example.com:5000, registry.example.com:5000, registry.example.com, registry.example.com",
        "docker.io:443,               docker.io:443,             docker.io:443,             docker.io,            docker.io",
        "localhost,                   localhost,                 localhost,                 localhost,            localhost",
        "localhost:5000,              localhost:5000,            localhost:5000,            localhost,            localhost",
        "registry,                    registry,                  registry,                  registry,             registry",
        "127.0.0.1:5000,              127.0.0.1:5000,            127.0.0.1:5000,            127.0.0.1,            127.0.0.1",
        "[::1],                       [::1],                     [::1],                     [::1],                [::1]",
        "[::1]:5000,                  [::1]:5000,                [::1]:5000,                [::1],                [::1]",
        "[FE80::1]:443,               [fe80::1]:443,             [fe80::1]:443,             [fe80::1],            [fe80::1]",
    })
    void normalizesAndNamesItsApiHost(String input, String name, String apiHost, String apiHostname, String hostname) {
        RegistryHost host = new RegistryHost(input);
        assertEquals(name, host.name());
        assertEquals(apiHost, host.apiHost());
        assertEquals(apiHostname, host.apiHostname());
        assertEquals(hostname, host.hostname());
        assertEquals(name, host.toString());
        assertEquals(host, new RegistryHost(name), "normalizing is idempotent");
    }

    @Test
    void anImageReferenceNamesItsRegistry() {
        assertEquals(new RegistryHost("docker.io"), RegistryHost.of(ImageReference.parse("nginx:1")));
        assertEquals("registry-1.docker.io", RegistryHost.of(ImageReference.parse("index.docker.io/library/nginx")).apiHost());
        assertEquals("[::1]:5000", RegistryHost.of(ImageReference.parse("[::1]:5000/app")).apiHost());
    }

    @Test
    void itsApiIsServedOverHttpsUnlessPlainHttpIsAsked() {
        assertEquals(URI.create("https://registry-1.docker.io/"), new RegistryHost("docker.io").apiBase(false));
        assertEquals(URI.create("http://localhost:5000/"), new RegistryHost("localhost:5000").apiBase(true));
        assertEquals("/v2/", new RegistryHost("[::1]:5000").apiBase(true).resolve("/v2/").getPath());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", " ghcr.io", "ghcr.io ", "ghcr.io/org", "https://ghcr.io", "exa_mple.com", "web127.0.0.1",
        "example.com:99999", "example.com:", ":5000", "-registry.io", "registry-.io", "[::1", "::1", "a..b", "user@host" })
    void refusesWhatIsNoHostWithTheErrorOfTheReferenceGrammar(String input) {
        InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> new RegistryHost(input));
        InvalidReferenceException before = assertThrows(InvalidReferenceException.class,
                () -> ImageReference.normalizeHost(input));
        assertEquals(Part.NAME, e.part());
        assertEquals(before.getMessage(), e.getMessage());
        assertEquals(before.hint(), e.hint());
        assertEquals("\"" + (input == null ? "" : input) + "\" is not a valid registry host[:port].", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({ "host:5000, host", "[::1]:5000, [::1]", "[::1], [::1]", "host, host" })
    void aPortIsCutButNotAnIpv6Literal(String hostAndPort, String host) {
        assertEquals(host, RegistryHost.withoutPort(hostAndPort));
    }

    @ParameterizedTest
    @CsvSource({ "https://ghcr.io/v2/, ghcr.io", "http://localhost:5000/v2/, localhost:5000", "http://[::1]:5000/x, [::1]:5000" })
    void aUriIsKeyedByHostAndPort(String uri, String hostAndPort) {
        assertEquals(hostAndPort, RegistryHost.hostAndPort(URI.create(uri)));
    }
}
