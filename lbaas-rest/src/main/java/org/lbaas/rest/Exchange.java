package org.lbaas.rest;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One request as {@link ApiHandler} sees it, apart from the HTTP server that received it: the
 * method, the raw (still percent-encoded) path and query, the headers, the local address and the
 * body, which the server has already read (within {@link LbaasRestServer.Builder#maxBodyBytes} and
 * {@link LbaasRestServer.Builder#requestTimeout}) or deliberately left unread.
 */
interface Exchange {

    String method();

    /** The path as sent, percent-encoded. */
    String rawPath();

    /** The query as sent, or {@code null} when there is none. */
    String rawQuery();

    /** The first value of a header (names are case-insensitive). */
    Optional<String> header(String name);

    InetSocketAddress localAddress();

    Body body();

    /** A request body as far as the server read it. */
    sealed interface Body {
        /** The request has no body. */
        record None() implements Body {
        }

        /** The complete body. */
        record Read(byte[] bytes) implements Body {
            public Read {
                Objects.requireNonNull(bytes, "bytes");
            }
        }

        /** The body was left unread: it is larger than the limit, or declared as something other than JSON. */
        record Unread() implements Body {
        }
    }
}
