package org.lbaas.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The server's Jackson tree helpers. Objects are always written by
 * {@link org.lbaas.api.json.NeutronJson} first and only then read back into trees, so that the
 * attributes, their order and their forms are the codec's; this class filters, projects and prints
 * those trees. Reading is as strict as the codec's (duplicate keys and trailing content are errors).
 */
final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses text the codec wrote; it is always well-formed. */
    static JsonNode written(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the codec wrote JSON that does not parse", e);
        }
    }

    /** Parses a request body; empty when it is not well-formed JSON (the codec then says where). */
    static Optional<JsonNode> tryParse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Parses a request body, or throws Jackson's error with its location. */
    static JsonNode parseStrict(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** Prints a tree compactly, as Neutron does. */
    static String print(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be printed", e);
        }
    }
}
