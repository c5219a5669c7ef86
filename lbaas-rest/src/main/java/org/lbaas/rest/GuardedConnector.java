package org.lbaas.rest;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty's {@link ServerConnector} with one acceptor thread that counts connections: a connection
 * over the limit is refused by {@link ConnectionGuard#refuse} before Jetty sees it; one within it
 * is handed to Jetty's selector as usual and gives its place back when its end point closes.
 */
final class GuardedConnector extends ServerConnector {

    private final ConnectionGuard guard;

    GuardedConnector(Server server, ConnectionGuard guard, ConnectionFactory factory) {
        super(server, 1, 1, factory);
        this.guard = guard;
        addEventListener(guard);
        getSelectorManager().addEventListener(new SelectorManager.AcceptListener() {
            @Override
            public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
                guard.release();
            }
        });
    }

    @Override
    public void accept(int acceptorId) throws IOException {
        ServerSocketChannel server = (ServerSocketChannel) getTransport();
        if (server == null || !server.isOpen()) {
            return;
        }
        SocketChannel channel = server.accept();
        if (!guard.admit()) {
            guard.refuse(channel);
            return;
        }
        try {
            channel.configureBlocking(false);
            configure(channel.socket());
            getSelectorManager().accept(channel);
        } catch (IOException | RuntimeException e) {
            guard.release();
            channel.close();
            throw e;
        }
    }

    @Override
    protected void onEndPointClosed(EndPoint endpoint) {
        super.onEndPointClosed(endpoint);
        guard.release();
    }
}
