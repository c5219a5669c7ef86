package org.lbaas.api.json;

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

/**
 * The one shared, strictly configured Jackson mapper, and the two ends of every conversion:
 * text to tree (with precise errors) and tree to text (deterministic layout). Only the tree model
 * is used, so nothing is read or written by reflection.
 */
final class JsonText {

    /**
     * Strict reading: duplicate keys are errors (JSON's RFC leaves them undefined, and a second
     * {@code "weight"} silently winning is a classic source of surprises); comments, single
     * quotes, trailing commas, NaN and leading zeros stay disallowed (Jackson's defaults); floats
     * are not coerced to ints, because trees keep the JSON types as they are.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
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

    private JsonText() {
    }

    static JsonNodeFactory nodes() {
        return MAPPER.getNodeFactory();
    }

    /**
     * Parses one JSON value.
     *
     * @param text the text
     * @return the tree, never {@code null}
     * @throws InvalidJsonException when the text is not exactly one well-formed JSON value
     */
    static JsonNode parse(String text) {
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
            int line = at == null ? 0 : at.getLineNr();
            int column = at == null ? 0 : at.getColumnNr();
            throw new InvalidJsonException(line, column, path(parser.getParsingContext()), detail(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Prints a tree: keys in the order the tree holds them, two-space indentation, LF line ends,
     * a final newline.
     */
    static String print(JsonNode tree) {
        try {
            return WRITER.writeValueAsString(tree) + "\n";
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

    private static String detail(JsonProcessingException e) {
        String raw = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        String oneLine = SOURCE.matcher(raw).replaceAll("[").replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return oneLine.isEmpty() ? "unreadable JSON" : oneLine;
    }

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
