package org.lbaas.driver.haproxy.internal.config;

import java.util.List;
import java.util.Objects;

/**
 * One configuration line inside a section: a keyword followed by arguments. The keyword is a
 * {@link TokenKind#KEYWORD} token starting with a letter (never {@code -}, and never {@code .},
 * which would make the line a preprocessor directive). Keyword plus arguments are at most
 * {@value #MAX_WORDS} words, HAProxy 2.6's limit per line.
 */
public final class Directive {

    /** The most words HAProxy 2.6 reads on one line (65 is an ALERT "too many words"). */
    public static final int MAX_WORDS = 64;

    private final Token keyword;
    private final List<Token> args;

    Directive(Token keyword, List<Token> args) {
        Token.requireKind(keyword, TokenKind.KEYWORD, "directive keyword");
        char first = keyword.text().charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
            throw new MalformedConfigException("directive keyword must start with a letter: " + keyword.text());
        }
        this.args = List.copyOf(Objects.requireNonNull(args, "args"));
        if (this.args.size() + 1 > MAX_WORDS) {
            throw new MalformedConfigException("directive '" + keyword.text() + "' has " + (this.args.size() + 1)
                    + " words; HAProxy reads at most " + MAX_WORDS + " per line");
        }
        this.keyword = keyword;
    }

    /**
     * Returns the keyword.
     *
     * @return the keyword token
     */
    public Token keyword() {
        return keyword;
    }

    /**
     * Returns the arguments in order.
     *
     * @return an immutable list, possibly empty
     */
    public List<Token> args() {
        return args;
    }

    /** The length of this line without indentation, including its line feed. */
    int textLength() {
        int length = keyword.text().length() + 1;
        for (int i = 0; i < args.size(); i++) {
            length += 1 + args.get(i).text().length();
        }
        return length;
    }

    void appendTo(StringBuilder out, String indent) {
        out.append(indent).append(keyword.text());
        for (int i = 0; i < args.size(); i++) {
            out.append(' ').append(args.get(i).text());
        }
        out.append('\n');
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Directive that && keyword.equals(that.keyword) && args.equals(that.args);
    }

    @Override
    public int hashCode() {
        return keyword.hashCode() * 31 + args.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        appendTo(out, "");
        return out.substring(0, out.length() - 1);
    }
}
