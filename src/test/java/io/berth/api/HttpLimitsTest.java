package io.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.berth.testsupport.Api;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * Requests the HTTP layer refuses before any Berth handler runs (too long a request line, too large
 * headers, malformed syntax, too large a body) still answer the error envelope with a request id.
 * Sent over a raw socket, because ordinary clients refuse to send most of them. Shared with
 * HttpLimitsIT: HTTP only.
 */
@QuarkusTest
class HttpLimitsTest {

    private static final Pattern GENERATED_ID = Pattern.compile("req_[0-9A-HJKMNP-TV-Z]{26}");

    private final String admin = Tokens.admin(Api.newCompany());

    @Test
    void aTooLongPathIs414Envelope() throws IOException {
        Raw response = send("GET /api/environments/" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertEnvelope(response, 414, "VALIDATION_ERROR");
        assertTrue(response.json().getString("message").contains("4096"), response.body);
        assertTrue(GENERATED_ID.matcher(response.json().getString("requestId")).matches(), response.body);
    }

    @Test
    void aTooLongQueryValueIs414Envelope() throws IOException {
        Raw response = send("GET /api/environments?limit=" + "9".repeat(4_096) + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + admin + "\r\n\r\n");
        assertEnvelope(response, 414, "VALIDATION_ERROR");
    }

    @Test
    void tooLargeHeadersAre431Envelope() throws IOException {
        Raw response = send("GET /api/environments HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Filler: " + "f".repeat(64 * 1024) + "\r\n\r\n");
        assertEnvelope(response, 431, "VALIDATION_ERROR");
        assertTrue(response.json().getString("message").contains("16384"), response.body);
    }

    @Test
    void aControlCharacterInTheRequestIdIs400EnvelopeWithAFreshId() throws IOException {
        Raw response = send("GET /api/environments HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: evil\u0007id\r\n\r\n");
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertTrue(GENERATED_ID.matcher(response.json().getString("requestId")).matches(), response.body);
    }

    @Test
    void aMalformedHeaderNameIs400Envelope() throws IOException {
        assertEnvelope(send("GET /api/environments HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n"), 400,
                "VALIDATION_ERROR");
    }

    @Test
    void aMalformedRequestLineIs400Envelope() throws IOException {
        assertEnvelope(send("NOT AN HTTP REQUEST LINE\r\n\r\n"), 400, "VALIDATION_ERROR");
        assertEnvelope(send("GET /api/environments HTTP/1.1 and-more\r\nHost: localhost\r\n\r\n"), 400, "VALIDATION_ERROR");
    }

    @Test
    void aDeclaredBodyAboveTheLimitIs413Envelope() throws IOException {
        Raw response = send("POST /api/environments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + admin + "\r\nContent-Length: " + (1024 * 1024 + 1) + "\r\n\r\n{\"name\":\"");
        assertEnvelope(response, 413, "VALIDATION_ERROR");
        assertTrue(response.json().getString("message").contains("1048576"), response.body);
    }

    @Test
    void aChunkedBodyAboveTheLimitIs413Envelope() throws IOException {
        String chunk = "x".repeat(64 * 1024); // inside one JSON string, so the body stays valid JSON to the end
        StringBuilder request = new StringBuilder("POST /api/environments HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nAuthorization: Bearer " + admin + "\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        request.append("9\r\n{\"name\":\"\r\n");
        for (int i = 0; i < 17; i++) { // 17 × 64 KiB > 1 MiB
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("2\r\n\"}\r\n0\r\n\r\n");
        assertEnvelope(send(request.toString()), 413, "VALIDATION_ERROR");
    }

    @Test
    void anUnknownHttpVersionIs505EnvelopeAndNothingIsCreated() throws IOException {
        // found by probing from outside: "HTTP/2.0" or "HTTP/9.9" in a request line was served
        String json = "{\"name\":\"v20x\"}";
        Raw refused = send("POST /api/environments HTTP/9.9\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + admin + "\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);
        if (refused.status == 501) {
            // Vert.x answers 501 itself, below every handler of ours, when no WebSocket handler is
            // registered (as in the native executable); the request is not served either way.
            assertEquals("", refused.body, refused.head);
        } else {
            assertEnvelope(refused, 505, "VALIDATION_ERROR");
        }
        Raw list = send("GET /api/environments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + admin
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, list.status, list.body);
        assertFalse(list.body.contains("v20x"), list.body);
    }

    @Test
    void aBodyFramedOtherThanByContentLengthOrChunkedAloneIs400EnvelopeAndNothingIsCreated() throws IOException {
        // found by probing from outside: "Transfer-Encoding: gzip" beside a Content-Length was served by
        // the Content-Length, where a proxy in front may frame the body by the transfer coding instead
        String json = "{\"name\":\"framing-x\"}";
        String head = "POST /api/environments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + admin + "\r\n";
        String chunked = Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n";
        for (String request : List.of(
                head + "Content-Length: " + json.length() + "\r\nTransfer-Encoding: gzip\r\n\r\n" + json,
                head + "Transfer-Encoding: gzip\r\n\r\n" + json,
                head + "Transfer-Encoding: gzip, chunked\r\n\r\n" + chunked,
                head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n" + chunked)) {
            Raw refused = send(request);
            assertEnvelope(refused, 400, "VALIDATION_ERROR");
            assertTrue(refused.json().getString("message").contains("Transfer-Encoding"), refused.body);
        }
        Raw list = send("GET /api/environments HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + admin
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, list.status, list.body);
        assertFalse(list.body.contains("framing-x"), list.body);
    }

    @Test
    void aChunkedBodyWithinTheLimitIsRead() throws IOException {
        String json = "{\"name\":\"chunked-" + "c".repeat(20) + "\",\"tier\":\"staging\"}";
        Raw response = send("POST /api/environments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + admin + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\n" + json.substring(0, 5) + "\r\n" + Integer.toHexString(json.length() - 5) + "\r\n"
                + json.substring(5) + "\r\n0\r\n\r\n");
        assertEquals(201, response.status, response.body);
        assertEquals("chunked-" + "c".repeat(20), response.json().getString("name"));
    }

    @Test
    void aRequestWithinTheLimitsStillWorks() throws IOException {
        Raw response = send("GET /api/environments?note=" + "n".repeat(3_000) + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + admin + "\r\nX-Filler: " + "f".repeat(8 * 1024) + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, response.status, response.body);
    }

    private static void assertEnvelope(Raw response, int status, String code) {
        assertEquals(status, response.status, response.head + response.body);
        assertTrue(response.header("content-type").startsWith("application/json"), response.head);
        JsonObject json = response.json();
        assertEquals(code, json.getString("code"), response.body);
        assertTrue(json.getString("message") != null && !json.getString("message").isBlank(), response.body);
        String id = json.getString("requestId");
        assertTrue(id != null && !id.isBlank(), response.body);
        assertEquals(id, response.header("x-request-id"), response.head);
        assertNotEquals("evil\u0007id", id);
        assertEquals("close", response.header("connection").toLowerCase(Locale.ROOT), response.head);
    }

    /** Sends raw bytes and reads one response (status line, headers, Content-Length body). */
    private static Raw send(String request) throws IOException {
        URI base = URI.create(RestAssured.baseURI);
        try (Socket socket = new Socket(base.getHost(), RestAssured.port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException serverClosedEarly) {
                // The server may answer and close before it read everything; the answer is what counts.
            }
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            String[] lines = head.split("\r\n");
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), head, headers,
                    new String(body, StandardCharsets.UTF_8));
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] soFar = head.toByteArray();
            int n = soFar.length;
            if (n >= 4 && soFar[n - 4] == '\r' && soFar[n - 3] == '\n' && soFar[n - 2] == '\r' && soFar[n - 1] == '\n') {
                return new String(soFar, 0, n - 4, StandardCharsets.ISO_8859_1);
            }
        }
        throw new IOException("Connection closed before a response head: " + head);
    }

    private record Raw(int status, String head, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        JsonObject json() {
            return new JsonObject(body);
        }
    }
}
