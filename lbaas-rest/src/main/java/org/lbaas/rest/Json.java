package org.lbaas.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lbaas.api.json.internal.JsonText;

/**
 * The server's own JSON trees (errors, discovery documents) and how every answer is printed. The
 * objects themselves come as trees from the wire mapping ({@link org.lbaas.api.json.internal}),
 * which also parses request bodies; this class only adds the compact printing Neutron answers with.
 */
final class Json {

    private Json() {
    }

    static ObjectNode object() {
        return JsonText.nodes().objectNode();
    }

    static ArrayNode array() {
        return JsonText.nodes().arrayNode();
    }

    /** Prints a tree compactly, as Neutron does. */
    static String print(JsonNode node) {
        return JsonText.compact(node);
    }
}
