package org.lbaas.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * Writes exact request bytes to a server and reads what comes back, for what an HTTP client
 * library will not send: no Content-Type, a lying Content-Length, chunked bodies of any size.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** What came back: the status line's code (0 when the connection closed first) and the text. */
    record Answer(int status, String text) {
        String body() {
            int at = text.indexOf("\r\n\r\n");
            return at < 0 ? "" : text.substring(at + 4);
        }

        /** The response headers by lower-case name. */
        java.util.Map<String, java.util.List<String>> headers() {
            java.util.Map<String, java.util.List<String>> out = new java.util.LinkedHashMap<>();
            int end = text.indexOf("\r\n\r\n");
            String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    out.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                            k -> new java.util.ArrayList<>()).add(lines[i].substring(colon + 1).strip());
                }
            }
            return out;
        }
    }

    /**
     * Sends a head, then the body bytes (stopping quietly if the server closes the connection
     * while they are written), and reads the answer until the server closes or 5 s pass.
     */
    static Answer exchange(InetSocketAddress server, String head, byte[] body) {
        try (Socket socket = new Socket()) {
            socket.connect(server, 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            try {
                int at = 0;
                while (at < body.length) {
                    int n = Math.min(8192, body.length - at);
                    out.write(body, at, n);
                    at += n;
                }
                out.flush();
            } catch (SocketException e) {
                // the server answered and closed early: read what it said
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    got.write(buffer, 0, n);
                    if (complete(got.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketException | java.net.SocketTimeoutException e) {
                // reset after the answer, or no answer: use what arrived
            }
            String text = got.toString(StandardCharsets.UTF_8);
            int status = 0;
            if (text.startsWith("HTTP/1.1 ")) {
                status = Integer.parseInt(text.substring(9, 12));
            }
            return new Answer(status, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a response has fully arrived; the text holds one char per byte (ISO-8859-1). */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : text.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                int length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
                return text.length() >= end + 4 + length;
            }
        }
        return text.substring(0, end).contains(" 204 ");
    }

    /** Returns a chunked encoding of the body, in chunks of the given size. */
    static byte[] chunked(byte[] body, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += chunk) {
            int n = Math.min(chunk, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
