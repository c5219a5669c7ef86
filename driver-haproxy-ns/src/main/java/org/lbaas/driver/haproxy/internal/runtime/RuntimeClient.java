package org.lbaas.driver.haproxy.internal.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sends one command to an HAProxy stats socket and returns its complete answer. The default
 * speaks to the UNIX socket directly (JDK {@code UnixDomainSocketAddress}, no {@code socat}):
 * one connection per command, non-interactive, read to end-of-stream however long the answer.
 */
public interface RuntimeClient {

    /**
     * Runs one runtime API command.
     *
     * @param socket the stats socket
     * @param command the command line, without newline (e.g. {@code show stat -1 6 -1})
     * @param timeout how long connecting, sending and reading may take in total
     * @return everything HAProxy answered
     * @throws IOException when the socket does not answer (no such socket, refused, timeout,
     *     answer larger than the client accepts)
     */
    String execute(Path socket, String command, Duration timeout) throws IOException;

    /** Returns the client that talks to real sockets. */
    static RuntimeClient unixSocket() {
        return UnixSocketRuntimeClient.INSTANCE;
    }
}
