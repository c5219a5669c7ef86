package org.lbaas.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * What the log goes through when {@code --verbose} is not given: every line passes except Java
 * stack traces. slf4j-simple prints a logged exception after the message, as
 * {@code Throwable.printStackTrace} does (the exception's own line, then {@code \tat ...},
 * {@code Caused by: ...}, {@code \t... n more}); those lines are dropped, so a failure is one line
 * (the log message, which names the failure) and the stack trace appears only with
 * {@code --verbose}.
 *
 * <p>A line is held until the next one arrives or the stream is flushed, since only the next line
 * tells an exception's own line (followed by {@code \tat}) from a message. slf4j-simple flushes
 * after each record, so nothing waits longer than that.
 */
final class TracelessOutput extends OutputStream {

    private final OutputStream out;
    private final Charset charset;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private byte[] held;
    private boolean inTrace;

    TracelessOutput(OutputStream out, Charset charset) {
        this.out = Objects.requireNonNull(out, "out");
        this.charset = Objects.requireNonNull(charset, "charset");
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            endLine();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    private void endLine() throws IOException {
        byte[] bytes = line.toByteArray();
        line.reset();
        String text = new String(bytes, charset);
        if (isFrame(text)) {
            held = null;
            inTrace = true;
            return;
        }
        if (inTrace && (text.startsWith("Caused by: ") || text.startsWith("\tSuppressed: ") || text.startsWith("\t... ")
                || text.startsWith("\t\t"))) {
            return;
        }
        inTrace = false;
        emitHeld();
        held = bytes;
    }

    private static boolean isFrame(String text) {
        return text.startsWith("\tat ") || text.startsWith("\t\tat ");
    }

    private void emitHeld() throws IOException {
        if (held != null) {
            out.write(held);
            held = null;
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        emitHeld();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            out.write(line.toByteArray());
            line.reset();
        }
        flush();
    }
}
