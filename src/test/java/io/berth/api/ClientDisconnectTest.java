package io.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.berth.testsupport.Api;
import io.berth.testsupport.LogCapture;
import io.berth.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Issue 15: a client that goes away in the middle of sending its body is not a server fault. No
 * ERROR, no stack trace, no 500 in the metrics: one debug line says the client went away.
 */
@QuarkusTest
class ClientDisconnectTest {

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    /**
     * A body declared larger than it is, the socket closed after part of it: small bodies are
     * buffered by the event loop before the resource runs, large ones (above Quarkus REST's input
     * buffer) are streamed to the worker thread that reads them; both ways must end quietly.
     */
    @ParameterizedTest
    @ValueSource(ints = { 4_000, 300_000 })
    void aClientThatVanishesMidBodyIsNoServerError(int declaredLength) throws Exception {
        String server5xxBefore = serverErrors();
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        String token = Tokens.admin(Api.newCompany());
        String requestId = "vanish-" + UUID.randomUUID();
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/environments HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + token + "\r\nX-Request-Id: " + requestId + "\r\n"
                    + "Content-Length: " + declaredLength + "\r\n\r\n{\"name\":\"").getBytes(StandardCharsets.US_ASCII));
            out.write("x".repeat(Math.min(declaredLength / 2, 100_000)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300); // let the server start reading
        }
        Thread.sleep(1500); // the server notices the closed connection

        List<ExtLogRecord> loud = logs.records().stream()
                .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue() || r.getThrown() != null).toList();
        assertTrue(loud.isEmpty(), "no warning, error or stack trace for a vanished client: "
                + loud.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage()
                        + (r.getThrown() == null ? "" : " " + r.getThrown())).toList());
        assertEquals(server5xxBefore, serverErrors(), "no 5xx counted");
        // and the server still answers
        Api.as(token).get("/api/environments").then().statusCode(200);
    }

    /** The http_server_requests lines with a 5xx status, as Prometheus sees them. */
    private static String serverErrors() {
        return String.join("\n", RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString()
                .lines().filter(l -> l.startsWith("http_server_requests_seconds_count") && l.contains("status=\"5"))
                .toList());
    }
}
