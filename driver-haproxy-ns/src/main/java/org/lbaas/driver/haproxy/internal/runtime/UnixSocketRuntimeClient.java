package org.lbaas.driver.haproxy.internal.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link RuntimeClient#unixSocket()}: a non-blocking {@link SocketChannel} on the UNIX socket,
 * driven by a {@link Selector} so that one deadline bounds connect, write and read.
 */
final class UnixSocketRuntimeClient implements RuntimeClient {

    static final UnixSocketRuntimeClient INSTANCE = new UnixSocketRuntimeClient();

    /** Largest answer accepted (a {@code show stat} of thousands of servers is a few MiB). */
    static final int MAX_ANSWER = 64 << 20;

    private UnixSocketRuntimeClient() {
    }

    @Override
    public String execute(Path socket, String command, Duration timeout) throws IOException {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0 || command.indexOf(';') >= 0) {
            throw new IllegalArgumentException("one command per call, without newline or ';': " + command);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream answer = new ByteArrayOutputStream(4096);
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            while (true) {
                if (out.hasRemaining()) {
                    ch.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                } else {
                    int n = ch.read(in);
                    if (n < 0) {
                        return answer.toString(StandardCharsets.UTF_8);
                    }
                    if (n > 0) {
                        answer.write(in.array(), 0, n);
                        in.clear();
                        if (answer.size() > MAX_ANSWER) {
                            throw new IOException("answer to '" + command + "' exceeds " + MAX_ANSWER + " bytes");
                        }
                        continue;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("stats socket " + socket + " did not answer '" + command + "' within " + timeout.toMillis() + " ms");
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
            }
        }
    }
}
