package org.lbaas.api.json;

import java.util.Objects;
import org.lbaas.model.Violation;

/**
 * Thrown when a text handed to {@link NeutronJson} is not well-formed JSON: truncated, a stray
 * character, a duplicate key, trailing content after the value, or nothing at all.
 *
 * <p>It says where: the {@link #line()} and {@link #column()} (both counted from 1) at which the
 * parser stopped and the {@link #path()} of the innermost value it had reached, in the same form as
 * {@link Violation#path()} ({@code members[2].address}; empty at the top level). Text that is JSON
 * but breaks a rule (a wrong type, an unknown enum value, a missing field) is reported as an
 * {@link org.lbaas.model.ValidationException} instead.
 */
public final class InvalidJsonException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String path;
    private final String detail;

    /**
     * Creates the exception.
     *
     * @param line the line the parser stopped at, from 1 (0 when unknown)
     * @param column the column the parser stopped at, from 1 (0 when unknown)
     * @param path where in the document the parser was, empty at the top level
     * @param detail what is wrong, one line
     */
    public InvalidJsonException(int line, int column, String path, String detail) {
        super(format(line, column, path, detail));
        this.line = line;
        this.column = column;
        this.path = path;
        this.detail = detail;
    }

    /** Returns the line the parser stopped at, counted from 1, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** Returns the column the parser stopped at, counted from 1, or 0 when unknown. */
    public int column() {
        return column;
    }

    /**
     * Returns the path of the innermost value the parser had reached, such as
     * {@code members[2].address}; empty when it failed at the top level.
     */
    public String path() {
        return path;
    }

    /** Returns what is wrong, without the location. */
    public String detail() {
        return detail;
    }

    /**
     * Returns this failure as a violation, so that callers can print it like any other: the path
     * is {@link #path()} ({@code $} at the top level), the rejected value the location.
     */
    public Violation violation() {
        return new Violation(path.isEmpty() ? "$" : path, "line " + line + ", column " + column,
                "is not well-formed JSON: " + detail);
    }

    private static String format(int line, int column, String path, String detail) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(detail, "detail");
        return "malformed JSON at line " + line + ", column " + column
                + (path.isEmpty() ? "" : " (in " + path + ")") + ": " + detail;
    }
}
