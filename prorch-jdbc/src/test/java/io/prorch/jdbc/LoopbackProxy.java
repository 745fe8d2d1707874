package io.prorch.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of the test database, to take the database away for real: {@link #down()} stops
 * accepting (new connections are refused) and cuts every open connection; {@link #up()} listens again on the same
 * port. {@link #freeze()} cuts the path silently instead, as a network that goes dark does: no FIN, no RST, nothing
 * forwarded either way on the open connections nor on new ones; {@link #heal()} lets new connections through again,
 * while the frozen ones stay dead to their clients for good.
 */
final class LoopbackProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean frozen;

    /** One proxied connection; once silenced, it forwards nothing, ever. */
    private static final class Link {
        final Socket client;
        final Socket target;
        volatile boolean silenced;

        Link(Socket client, Socket target, boolean silenced) {
            this.client = client;
            this.target = target;
            this.silenced = silenced;
        }
    }

    LoopbackProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = listen(0);
        this.port = server.getLocalPort();
        accept(server);
    }

    int port() {
        return port;
    }

    /** Refuses new connections and cuts the open ones, as a crashed or unreachable server does. */
    synchronized void down() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
        links.forEach(link -> closeQuietly(link.client));
        links.clear();
    }

    /**
     * Stops forwarding without closing anything: bytes sent either way on an open connection vanish, and connections
     * opened from now on are accepted but never answered, until {@link #heal()}.
     */
    synchronized void freeze() {
        frozen = true;
        links.forEach(link -> link.silenced = true);
    }

    /**
     * Forwards new connections again. The frozen ones stay silent to their clients (who must give up on them by
     * their own timeouts); their server side is closed, as the server's TCP keepalive or idle timeout eventually
     * does with a peer that vanished, which rolls back what they had open and releases their locks.
     */
    synchronized void heal() {
        frozen = false;
        for (Link link : links) {
            if (link.silenced) {
                closeQuietly(link.target);
            }
        }
    }

    /** Accepts connections again. */
    synchronized void up() throws IOException {
        if (server.isClosed()) {
            server = listen(port);
            accept(server);
        }
    }

    @Override
    public void close() throws IOException {
        down();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void accept(ServerSocket listening) {
        daemon("proxy-accept", () -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(target);
                    Link link = new Link(client, target, frozen);
                    links.add(link);
                    daemon("proxy-up", () -> pump(link, client, target));
                    daemon("proxy-down", () -> pump(link, target, client));
                } catch (IOException e) {
                    // closed by down(), or the target refused: the client sees its connection fail
                }
            }
        });
    }

    private void pump(Link link, Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (!link.silenced) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side went away: cut the other too (unless silenced)
        } finally {
            if (link.silenced) {
                // a silenced client hears nothing, not even a close: only the server side goes
                closeQuietly(link.target);
                open.remove(link.target);
            } else {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
                links.remove(link);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
