package org.lbaas.cli;

import java.util.List;

/**
 * The input the command was given is invalid: a document that breaks rules (one line per
 * violation, {@code path: message}), a missing file, an unknown pool id. Exit 2.
 */
final class InvalidInputException extends CliException {

    private static final long serialVersionUID = 1L;

    InvalidInputException(List<String> lines) {
        super(INVALID_INPUT, lines, null);
    }

    InvalidInputException(String line) {
        this(List.of(line));
    }
}
