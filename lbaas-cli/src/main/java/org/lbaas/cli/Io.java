package org.lbaas.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Where a command reads and writes, and the machine it runs on.
 *
 * @param in standard input (a document given as {@code -})
 * @param out standard output: results
 * @param err standard error: errors (one line each) and progress of long commands
 * @param host the machine
 */
record Io(InputStream in, PrintStream out, PrintStream err, Host host) {

    Io {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(host, "host");
    }

    /** The process's own streams and the real machine. */
    static Io system() {
        return new Io(System.in, System.out, System.err, Host.system());
    }
}
