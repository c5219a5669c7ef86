package org.lbaas.driver.haproxy.internal.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A test-side model of how HAProxy 2.6 cuts one configuration line into words, and how a sample
 * fetch cuts its parenthesised arguments, written from the rules measured on the real binary
 * ({@code docs/haproxy-2.6-notes.md}, section 7). {@link HaproxyParserLiveTest} checks the emitter
 * against the real parser; this model lets the fast tests and properties decode thousands of
 * tokens without starting a process.
 *
 * <p>The model is strict where HAProxy is lenient but dangerous: it throws on environment-variable
 * expansion and on {@code \x00} (HAProxy silently truncates there), so a passing decode also proves
 * the emitter never relies on either.
 */
final class Haproxy26LineModel {

    /** The line would not mean what a literal reading says. */
    static final class ParseError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ParseError(String message) {
            super(message);
        }
    }

    private Haproxy26LineModel() {
    }

    /**
     * Cuts one line (without its line feed) into words. Leading blanks are skipped, as the config
     * reader does before the word parser runs.
     */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean started = false;
        boolean squote = false;
        boolean dquote = false;
        int i = 0;
        int n = line.length();
        while (i < n && isSpace(line.charAt(i))) {
            i++;
        }
        while (i < n) {
            char c = line.charAt(i);
            if (c == '\n' || c == '\r' || c == '\0') {
                // the line ends here, even inside quotes; the rest of the physical line is lost
                throw new ParseError("line ends early at index " + i);
            }
            if (c == '#' && !squote && !dquote) {
                break;
            }
            if (c == '"' && !squote) {
                dquote = !dquote;
                started = true;
                i++;
                continue;
            }
            if (c == '\'' && !dquote) {
                squote = !squote;
                started = true;
                i++;
                continue;
            }
            if (c == '\\' && !squote) {
                char next = i + 1 < n ? line.charAt(i + 1) : '\0';
                started = true;
                switch (next) {
                    case ' ', '\\', '#', '\'', '"' -> {
                        word.append(next);
                        i += 2;
                    }
                    case 't' -> {
                        word.append('\t');
                        i += 2;
                    }
                    case 'n' -> {
                        word.append('\n');
                        i += 2;
                    }
                    case 'r' -> {
                        word.append('\r');
                        i += 2;
                    }
                    case '$' -> {
                        if (dquote) {
                            word.append('$');
                            i += 2;
                        } else {
                            word.append('\\');
                            i += 1;
                        }
                    }
                    case 'x' -> {
                        if (i + 3 >= n || Character.digit(line.charAt(i + 2), 16) < 0 || Character.digit(line.charAt(i + 3), 16) < 0) {
                            throw new ParseError("invalid hex escape at index " + i);
                        }
                        char decoded = (char) Integer.parseInt(line.substring(i + 2, i + 4), 16);
                        if (decoded == 0) {
                            throw new ParseError("\\x00 truncates the word");
                        }
                        word.append(decoded);
                        i += 4;
                    }
                    default -> {
                        word.append('\\');
                        i += 1;
                    }
                }
                continue;
            }
            if (isSpace(c) && !squote && !dquote) {
                if (started) {
                    words.add(word.toString());
                }
                word.setLength(0);
                started = false;
                while (i < n && isSpace(line.charAt(i))) {
                    i++;
                }
                continue;
            }
            if (c == '$' && dquote) {
                throw new ParseError("environment variable expansion at index " + i);
            }
            word.append(c);
            started = true;
            i++;
        }
        if (squote || dquote) {
            throw new ParseError("unmatched quote");
        }
        if (started && word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * Splits an already unquoted sample-fetch word {@code name(arg,arg)} into its name followed by
     * its string arguments, with the argument parser's own quotes and backslashes resolved.
     */
    static List<String> fetch(String word) {
        int open = word.indexOf('(');
        List<String> out = new ArrayList<>();
        if (open < 0) {
            out.add(word);
            return out;
        }
        out.add(word.substring(0, open));
        StringBuilder arg = new StringBuilder();
        boolean squote = false;
        boolean dquote = false;
        int i = open + 1;
        while (true) {
            if (i >= word.length()) {
                throw new ParseError("missing ')'");
            }
            char c = word.charAt(i);
            if (c == '"' && !squote) {
                dquote = !dquote;
                i++;
            } else if (c == '\'' && !dquote) {
                squote = !squote;
                i++;
            } else if (c == '\\' && !squote && i + 1 < word.length()
                    && "\\\"' ),".indexOf(word.charAt(i + 1)) >= 0) {
                arg.append(word.charAt(i + 1));
                i += 2;
            } else if (c == ',' && !squote && !dquote) {
                out.add(arg.toString());
                arg.setLength(0);
                i++;
            } else if (c == ')' && !squote && !dquote) {
                out.add(arg.toString());
                if (i != word.length() - 1) {
                    throw new ParseError("trailing text after ')'");
                }
                return out;
            } else {
                arg.append(c);
                i++;
            }
        }
    }

    /** C {@code isspace} in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }
}
