package org.lbaas.driver.haproxy.internal.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A HAProxy 2.6 configuration as structured data: sections of directives whose arguments are
 * {@link Token}s. {@link #render()} writes it in one fixed layout, so the same structure always
 * gives byte-identical text:
 *
 * <ul>
 *   <li>a section line at column 0 ({@code global}, {@code defaults}, {@code frontend <name>},
 *       {@code backend <name>}, {@code peers <name>}), then one directive per line indented by four spaces, words
 *       separated by one space;</li>
 *   <li>one empty line between sections; {@code \n} line endings; the text ends with {@code \n}
 *       (an empty configuration renders as the empty string);</li>
 *   <li>no comments, no trailing spaces, no tabs.</li>
 * </ul>
 *
 * <p>Because every argument is a token, the text holds exactly the sections and directives that
 * were added: no value can add a line, a word or a comment.
 *
 * <p>Structural rules checked by {@link Builder#build()}: at most one {@code global}; names unique
 * among frontends, among backends, among peers sections and among named defaults (HAProxy refuses duplicates).
 */
public final class HaproxyConfig {

    static final String INDENT = "    ";

    private final List<Section> sections;

    private HaproxyConfig(List<Section> sections) {
        this.sections = List.copyOf(sections);
    }

    /**
     * Starts an empty configuration.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the sections in order.
     *
     * @return an immutable list
     */
    public List<Section> sections() {
        return sections;
    }

    /**
     * Writes the configuration text.
     *
     * @return the configuration, {@code \n}-terminated lines
     */
    public String render() {
        int estimate = 0;
        for (Section s : sections) {
            estimate += s.textLength() + 1;
        }
        StringBuilder out = new StringBuilder(estimate);
        renderTo(out);
        return out.toString();
    }

    /**
     * Appends the configuration text to a builder.
     *
     * @param out where to append
     */
    public void renderTo(StringBuilder out) {
        Objects.requireNonNull(out, "out");
        for (int i = 0; i < sections.size(); i++) {
            if (i > 0) {
                out.append('\n');
            }
            sections.get(i).appendTo(out);
        }
    }

    @Override
    public String toString() {
        return render();
    }

    /** Collects sections in call order. Not thread-safe. */
    public static final class Builder {

        private final List<Section.Builder> sections = new ArrayList<>();

        private Builder() {
        }

        /**
         * Opens the {@code global} section.
         *
         * @return the section's builder
         */
        public Section.Builder global() {
            return open(Section.Type.GLOBAL, null);
        }

        /**
         * Opens an anonymous {@code defaults} section.
         *
         * @return the section's builder
         */
        public Section.Builder defaults() {
            return open(Section.Type.DEFAULTS, null);
        }

        /**
         * Opens a named {@code defaults} section.
         *
         * @param name an {@link TokenKind#IDENT} token
         * @return the section's builder
         */
        public Section.Builder defaults(Token name) {
            return open(Section.Type.DEFAULTS, Objects.requireNonNull(name, "name"));
        }

        /**
         * Opens a {@code frontend} section.
         *
         * @param name an {@link TokenKind#IDENT} token
         * @return the section's builder
         */
        public Section.Builder frontend(Token name) {
            return open(Section.Type.FRONTEND, Objects.requireNonNull(name, "name"));
        }

        /**
         * Opens a {@code backend} section.
         *
         * @param name an {@link TokenKind#IDENT} token
         * @return the section's builder
         */
        public Section.Builder backend(Token name) {
            return open(Section.Type.BACKEND, Objects.requireNonNull(name, "name"));
        }

        /**
         * Opens a {@code peers} section.
         *
         * @param name an {@link TokenKind#IDENT} token
         * @return the section's builder
         */
        public Section.Builder peers(Token name) {
            return open(Section.Type.PEERS, Objects.requireNonNull(name, "name"));
        }

        private Section.Builder open(Section.Type type, Token name) {
            Section.Builder section = new Section.Builder(type, Optional.ofNullable(name));
            sections.add(section);
            return section;
        }

        /**
         * Freezes the configuration.
         *
         * @return the configuration
         * @throws MalformedConfigException on a second {@code global} or a duplicate name
         */
        public HaproxyConfig build() {
            Set<String> seen = new HashSet<>();
            List<Section> built = new ArrayList<>(sections.size());
            for (Section.Builder s : sections) {
                String key = s.type().word() + " " + s.name().map(Token::text).orElse("");
                if ((s.type() == Section.Type.GLOBAL || s.name().isPresent()) && !seen.add(key)) {
                    throw new MalformedConfigException("duplicate section: " + key.trim());
                }
                built.add(s.build());
            }
            return new HaproxyConfig(built);
        }
    }
}
