package org.lbaas.cli;

import java.util.List;

/** The command line itself is wrong: an unknown option, a missing argument, a bad option value. Exit 2. */
final class UsageException extends CliException {

    private static final long serialVersionUID = 1L;

    UsageException(String line) {
        super(INVALID_INPUT, List.of(line), null);
    }
}
