package org.lbaas.api.json.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.regex.Pattern;
import org.lbaas.api.json.InvalidJsonException;

/**
 * The one shared, strictly configured Jackson mapper, and the two ends of every conversion:
 * text to tree (with precise errors) and tree to text (deterministic layout). Only the tree model
 * is used, so nothing is read or written by reflection.
 */
public final class JsonText {

    /**
     * The deepest nesting read: a load balancer document or a Neutron body needs at most 5 levels
     * (a monitor's {@code pools[0]} in a document), Neutron's subnets 4.
     */
    public static final int MAX_DEPTH = 20;

    /**
     * Strict reading: duplicate keys are errors (JSON's RFC leaves them undefined, and a second
     * {@code "weight"} silently winning is a classic source of surprises); comments, single
     * quotes, trailing commas, NaN and leading zeros stay disallowed (Jackson's defaults); floats
     * are not coerced to ints, because trees keep the JSON types as they are.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /** Two-space indentation, {@code "key": value}, {@code []} and {@code {}} when empty, LF line ends. */
    private static final ObjectWriter WRITER;

    static {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators)
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        WRITER = MAPPER.writer(printer);
    }

    /** Jackson 2.16+ hides the source in locations; the remains are noise in a one-line detail. */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^;\\]]*; ");
    /** A parenthesis naming Jackson's internals ({@code (1000, from `StreamReadConstraints...`)}). */
    private static final Pattern INTERNALS = Pattern.compile("\\s*\\([^()]*`[^`]*`[^()]*\\)");
    /** The longest path shown in a message; longer ones keep their start and end. */
    public static final int MAX_PATH = 100;

    private JsonText() {
    }

    public static JsonNodeFactory nodes() {
        return MAPPER.getNodeFactory();
    }

    /**
     * Parses one JSON value.
     *
     * @param text the text
     * @return the tree, never {@code null}
     * @throws InvalidJsonException when the text is not exactly one well-formed JSON value
     */
    public static JsonNode parse(String text) {
        Objects.requireNonNull(text, "json");
        JsonParser parser;
        try {
            parser = MAPPER.createParser(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (parser) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidJsonException(1, 1, "", "the text is empty: expected a JSON object");
            }
            JsonNode tree = MAPPER.readTree(parser);
            JsonToken after = parser.nextToken();
            if (after != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new InvalidJsonException(at.getLineNr(), at.getColumnNr(), "",
                        "unexpected " + describe(after) + " after the end of the JSON value");
            }
            return tree;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            if (at == null || at.getLineNr() <= 0) {
                at = parser.currentLocation();
            }
            int line = Math.max(1, at.getLineNr());
            int column = Math.max(1, at.getColumnNr());
            throw new InvalidJsonException(line, column, abbreviate(path(parser.getParsingContext())), detail(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Prints a tree: keys in the order the tree holds them, two-space indentation, LF line ends,
     * a final newline.
     */
    public static String print(JsonNode tree) {
        try {
            return WRITER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be printed", e);
        }
    }

    /** Prints a tree on one line, without spaces, as Neutron's API answers. */
    public static String compact(JsonNode tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be printed", e);
        }
    }

    /** Returns the violation-style path of a parser context: {@code members[2].address}. */
    static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + c.getCurrentIndex() + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    /** A path of at most {@link #MAX_PATH} characters: its start, {@code ...}, its end. */
    static String abbreviate(String path) {
        if (path.length() <= MAX_PATH) {
            return path;
        }
        int keep = (MAX_PATH - 5) / 2;
        return path.substring(0, keep) + " ... " + path.substring(path.length() - keep);
    }

    private static String detail(JsonProcessingException e) {
        String raw = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            if (raw.contains("nesting depth")) {
                return "nested more than " + MAX_DEPTH + " levels deep (a load balancer document needs at most 5)";
            }
            if (raw.startsWith("Number value length")) {
                return "a number with more than " + MAX_NUMBER_DIGITS + " digits";
            }
            if (raw.startsWith("String value length")) {
                return "a string of more than " + MAX_STRING_CHARS + " characters";
            }
        }
        String oneLine = SOURCE.matcher(raw).replaceAll("[").replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        oneLine = INTERNALS.matcher(oneLine).replaceAll("").replace("`", "'");
        return oneLine.isEmpty() ? "unreadable JSON" : oneLine;
    }

    private static final int MAX_NUMBER_DIGITS = com.fasterxml.jackson.core.StreamReadConstraints.DEFAULT_MAX_NUM_LEN;
    private static final int MAX_STRING_CHARS = com.fasterxml.jackson.core.StreamReadConstraints.DEFAULT_MAX_STRING_LEN;

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> "content";
        };
    }
}
