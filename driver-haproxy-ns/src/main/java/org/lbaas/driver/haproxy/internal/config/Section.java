package org.lbaas.driver.haproxy.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One section of a configuration: {@code global}, {@code defaults [name]}, {@code frontend name},
 * {@code backend name} or {@code peers name}, with its directives in order. Names are {@link TokenKind#IDENT} tokens.
 */
public final class Section {

    /** The section types lbaas writes. */
    public enum Type {
        /** {@code global}: process-wide settings; no name. */
        GLOBAL("global"),
        /** {@code defaults}: settings inherited by the proxies that follow; optional name. */
        DEFAULTS("defaults"),
        /** {@code frontend}: listeners; name required. */
        FRONTEND("frontend"),
        /** {@code backend}: servers; name required. */
        BACKEND("backend"),
        /** {@code peers}: the instances that replicate stick tables; name required. */
        PEERS("peers");

        private final String word;

        Type(String word) {
            this.word = word;
        }

        /**
         * Returns the keyword that opens such a section.
         *
         * @return the section keyword
         */
        public String word() {
            return word;
        }
    }

    private final Type type;
    private final Optional<Token> name;
    private final List<Directive> directives;

    private Section(Type type, Optional<Token> name, List<Directive> directives) {
        this.type = type;
        this.name = name;
        this.directives = List.copyOf(directives);
    }

    /**
     * Returns the section type.
     *
     * @return the type
     */
    public Type type() {
        return type;
    }

    /**
     * Returns the section name: always present for frontends and backends, never for global.
     *
     * @return the name token, if any
     */
    public Optional<Token> name() {
        return name;
    }

    /**
     * Returns the directives in order.
     *
     * @return an immutable list
     */
    public List<Directive> directives() {
        return directives;
    }

    /** The exact length of this section's text. */
    int textLength() {
        int length = type.word.length() + 1 + name.map(n -> n.text().length() + 1).orElse(0);
        for (int i = 0; i < directives.size(); i++) {
            length += HaproxyConfig.INDENT.length() + directives.get(i).textLength();
        }
        return length;
    }

    void appendTo(StringBuilder out) {
        out.append(type.word);
        name.ifPresent(n -> out.append(' ').append(n.text()));
        out.append('\n');
        for (int i = 0; i < directives.size(); i++) {
            directives.get(i).appendTo(out, HaproxyConfig.INDENT);
        }
    }

    /**
     * Collects the directives of one section, in call order. Obtained from
     * {@link HaproxyConfig.Builder}; not thread-safe.
     */
    public static final class Builder {

        private final Type type;
        private final Optional<Token> name;
        private final List<Directive> directives = new ArrayList<>();

        Builder(Type type, Optional<Token> name) {
            this.type = Objects.requireNonNull(type, "type");
            this.name = Objects.requireNonNull(name, "name");
            name.ifPresent(n -> Token.requireKind(n, TokenKind.IDENT, type.word + " name"));
            if ((type == Type.FRONTEND || type == Type.BACKEND || type == Type.PEERS) && name.isEmpty()) {
                throw new MalformedConfigException(type.word + " needs a name");
            }
            if (type == Type.GLOBAL && name.isPresent()) {
                throw new MalformedConfigException("global takes no name");
            }
        }

        /**
         * Adds a directive.
         *
         * @param keyword the directive keyword, a constant of our code (validated as {@link Token#keyword})
         * @param args the arguments, each already validated and escaped by its token kind
         * @return this builder
         * @throws InvalidTokenException if the keyword is not a keyword
         * @throws MalformedConfigException if the line would exceed 64 words or the keyword does not start with a letter
         */
        public Builder add(String keyword, Token... args) {
            Objects.requireNonNull(args, "args");
            return add(keyword, List.of(args));
        }

        /**
         * Adds a directive whose arguments are assembled in a list.
         *
         * @param keyword the directive keyword, a constant of our code
         * @param args the arguments
         * @return this builder
         * @throws InvalidTokenException if the keyword is not a keyword
         * @throws MalformedConfigException if the line would exceed 64 words or the keyword does not start with a letter
         */
        public Builder add(String keyword, List<Token> args) {
            directives.add(new Directive(Token.keyword(keyword), args));
            return this;
        }

        Section build() {
            return new Section(type, name, directives);
        }

        Type type() {
            return type;
        }

        Optional<Token> name() {
            return name;
        }
    }
}
