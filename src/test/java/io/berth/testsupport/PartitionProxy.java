package io.berth.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP forwarder on a free loopback port that can cut the network between its clients and the
 * upstream server the way a partition does: packets are dropped, not refused. While partitioned,
 * no byte moves in either direction, open sockets stay open (nobody sees a FIN or RST), and new
 * connections are accepted (as a SYN to a black hole looks "in progress" for a while) but never
 * forwarded. Healing resumes everything: bytes sent meanwhile arrive late, as TCP retransmission
 * delivers them after a short partition, and a side that closed meanwhile is closed on the other.
 */
public final class PartitionProxy implements AutoCloseable {

    private final int upstreamPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private boolean partitioned;
    private volatile boolean closed;
    private volatile byte[] partitionMarker;
    /** With a marker: partition once the server's answer to the marked bytes is through, not before them. */
    private volatile boolean afterAnswer;

    /** Starts forwarding 127.0.0.1:{@link #port()} to 127.0.0.1:upstreamPort. */
    public PartitionProxy(int upstreamPort) {
        this.upstreamPort = upstreamPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("partition-proxy-accept", this::acceptLoop);
    }

    /** The loopback port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Stops moving bytes, from now on, in both directions and for new connections. */
    public void partition() {
        synchronized (lock) {
            partitioned = true;
        }
    }

    /**
     * Partitions the moment a client sends bytes containing this text (UTF-8), before those bytes
     * reach the server: a request is then in flight when the network goes away.
     */
    public void partitionWhenClientSends(String marker) {
        afterAnswer = false;
        partitionMarker = marker.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Partitions once a client sent bytes containing this text (UTF-8) and the server's answer to
     * them came back: the client's next message (for a write, typically its COMMIT) is cut off.
     */
    public void partitionAfterAnswerTo(String marker) {
        afterAnswer = true;
        partitionMarker = marker.getBytes(StandardCharsets.UTF_8);
    }

    /** Moves bytes again, including those held back during the partition. */
    public void heal() {
        synchronized (lock) {
            partitioned = false;
            partitionMarker = null;
            lock.notifyAll();
        }
    }

    public boolean partitioned() {
        synchronized (lock) {
            return partitioned;
        }
    }

    private void awaitConnectivity() throws InterruptedException {
        synchronized (lock) {
            while (partitioned && !closed) {
                lock.wait();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                daemon("partition-proxy-connect", () -> connect(client));
            } catch (IOException e) {
                if (!closed) {
                    sleepQuietly();
                }
            }
        }
    }

    private void connect(Socket client) {
        Socket upstream = null;
        try {
            awaitConnectivity(); // a connection opened during the partition hangs in its handshake
            upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
            sockets.add(upstream);
            Socket server = upstream;
            AtomicBoolean answerCuts = new AtomicBoolean(); // this connection's next answer partitions
            daemon("partition-proxy-up", () -> pump(client, server, true, answerCuts));
            daemon("partition-proxy-down", () -> pump(server, client, false, answerCuts));
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient, AtomicBoolean answerCuts) {
        byte[] buffer = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (fromClient) {
                    triggerOnMarker(buffer, n, answerCuts);
                }
                awaitConnectivity();
                out.write(buffer, 0, n);
                out.flush();
                if (!fromClient && answerCuts.getAndSet(false)) {
                    partition();
                }
            }
            awaitConnectivity(); // the FIN, too, only arrives once the network is back
        } catch (IOException | InterruptedException e) {
            // one side went away: so does the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void triggerOnMarker(byte[] data, int length, AtomicBoolean answerCuts) {
        byte[] marker = partitionMarker;
        if (marker == null) {
            return;
        }
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            synchronized (lock) {
                if (partitionMarker != marker) {
                    return; // healed or re-armed meanwhile
                }
                partitionMarker = null;
                if (afterAnswer) {
                    answerCuts.set(true);
                } else {
                    partitioned = true;
                }
            }
            return;
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly(Socket socket) {
        if (socket != null) {
            sockets.remove(socket);
            try {
                socket.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    /** Closes the listening socket and every forwarded connection. */
    @Override
    public void close() {
        closed = true;
        heal();
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        Set.copyOf(sockets).forEach(this::closeQuietly);
    }
}
