package org.lbaas.api;

/**
 * Thrown by {@link StoreDocuments} when bytes are not a store document it can read: not
 * well-formed JSON, another {@code format}, an unknown or mistyped attribute, or a broken rule. The
 * message names what is wrong: the parser's line and column, or every violation with its path
 * ({@code pool.lb_method}), its rejected value and the rule.
 *
 * <p>Checked on purpose: a repository that reads documents written by others decides what a bad
 * one means (fail, or log it and skip it), so the compiler makes it decide.
 */
public final class InvalidStoreDocumentException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the path and the rule
     * @param cause the parser's or the validator's failure
     */
    InvalidStoreDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
