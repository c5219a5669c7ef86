package org.lbaas.driver.haproxy.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket client against a JDK UNIX-socket server that behaves like HAProxy's CLI. */
class UnixSocketRuntimeClientTest {

    @TempDir
    Path temp;

    private Thread serve(Path socket, String answer, boolean close, AtomicReference<String> received) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try (server; SocketChannel ch = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(1024);
                StringBuilder sb = new StringBuilder();
                while (sb.indexOf("\n") < 0 && ch.read(in) > 0) {
                    in.flip();
                    sb.append(StandardCharsets.UTF_8.decode(in));
                    in.clear();
                }
                received.set(sb.toString());
                ByteBuffer out = ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8));
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                if (!close) {
                    Thread.sleep(2000);
                }
            } catch (IOException | InterruptedException e) {
                // test server ends
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void readsAnAnswerOfSeveralMegabytesToTheEnd() throws Exception {
        Path socket = temp.resolve("sock");
        StringBuilder big = new StringBuilder("# pxname,svname\n");
        while (big.length() < 5_000_000) {
            big.append("backend-with-a-long-name,server-").append(big.length()).append('\n');
        }
        AtomicReference<String> received = new AtomicReference<>();
        Thread t = serve(socket, big.toString(), true, received);
        String answer = RuntimeClient.unixSocket().execute(socket, "show stat -1 6 -1", Duration.ofSeconds(10));
        t.join();
        assertEquals(big.toString(), answer);
        assertEquals("show stat -1 6 -1\n", received.get());
    }

    @Test
    void aSilentSocketTimesOut() throws Exception {
        Path socket = temp.resolve("sock");
        serve(socket, "partial", false, new AtomicReference<>());
        IOException e = assertThrows(IOException.class, () -> RuntimeClient.unixSocket().execute(socket, "show info", Duration.ofMillis(200)));
        assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
    }

    @Test
    void aMissingSocketIsAnIoError() {
        assertThrows(IOException.class, () -> RuntimeClient.unixSocket().execute(temp.resolve("none"), "show info", Duration.ofSeconds(1)));
    }

    @Test
    void oneCommandPerCall() {
        assertThrows(IllegalArgumentException.class,
                () -> RuntimeClient.unixSocket().execute(temp.resolve("s"), "show info; shutdown sessions", Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> RuntimeClient.unixSocket().execute(temp.resolve("s"), "show info\nshutdown", Duration.ofSeconds(1)));
    }
}
