package org.lbaas.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.lbaas.api.json.InvalidJsonException;
import org.lbaas.api.json.internal.JsonText;

/**
 * Request bodies: read within the size limit, checked to be JSON text in UTF-8, and prepared for
 * the codec the way Neutron's API layer prepared them for its plugins:
 * <ul>
 *   <li>{@code tenant_id} of a create defaults to the caller's tenant; naming another tenant is
 *       refused with 403 unless the caller is an administrator;</li>
 *   <li>Neutron's input conversions: integer attributes ({@code protocol_port}, {@code weight},
 *       {@code delay}, {@code timeout}, {@code max_retries}, {@code connection_limit}) given as a
 *       string of digits become numbers, and {@code admin_state_up} given as
 *       {@code "true"}/{@code "false"} (any case) or {@code "1"}/{@code "0"} becomes a boolean. The
 *       neutron client sends every number from its command line as a string. Any other string
 *       stays as it is, and the codec reports it with the attribute's path.</li>
 * </ul>
 * Malformed JSON is reported by the wire mapping's parser, which says where it broke.
 */
final class Bodies {

    static final Set<String> INTEGER_ATTRIBUTES = Set.of("protocol_port", "weight", "delay", "timeout", "max_retries",
            "connection_limit");
    static final Set<String> BOOLEAN_ATTRIBUTES = Set.of("admin_state_up");
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]{1,30}");

    private Bodies() {
    }

    /**
     * Reads a request body.
     *
     * @param exchange the request, whose body the server read (or left unread when it is too large)
     * @param maxBytes the most bytes a body may have
     * @return the body as text
     * @throws ApiError 413 when it is larger, 415 when its declared type is not JSON, 400 when it is
     *     not UTF-8
     */
    static String read(Exchange exchange, int maxBytes) {
        String type = exchange.header("Content-Type").orElse(null);
        if (type != null && !isJson(type)) {
            throw new ApiError(415, "HTTPUnsupportedMediaType", "the request body must be JSON (Content-Type: "
                    + "application/json), not " + type);
        }
        String length = exchange.header("Content-Length").orElse(null);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("Content-Length is not a number: " + length);
            }
            if (declared > maxBytes) {
                throw tooLarge(maxBytes);
            }
        }
        Exchange.Body body = exchange.body();
        byte[] bytes;
        if (body instanceof Exchange.Body.Read read) {
            bytes = read.bytes();
        } else if (body instanceof Exchange.Body.None) {
            bytes = new byte[0];
        } else {
            throw tooLarge(maxBytes);
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("the request body is not UTF-8 text");
        }
    }

    private static ApiError tooLarge(int maxBytes) {
        return new ApiError(413, "HTTPRequestEntityTooLarge", "the request body is larger than " + maxBytes + " bytes",
                Map.of("Connection", "close"), null);
    }

    static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.endsWith("+json");
    }

    /**
     * Parses a create body and prepares it for the wire reader.
     *
     * @param text the body
     * @param key the wrapper key ({@code pool})
     * @param caller who creates
     * @return the tree, with the caller's tenant filled in and Neutron's conversions applied
     * @throws InvalidJsonException when the text is not well-formed JSON (saying where)
     * @throws ApiError 403 when it names another tenant and the caller is not an administrator
     */
    static JsonNode create(String text, String key, Caller caller) {
        return prepare(text, key, Optional.of(caller));
    }

    /**
     * Parses an update body and applies the conversions only (a {@code tenant_id} is left for the
     * wire reader to refuse as read-only).
     */
    static JsonNode update(String text, String key) {
        return prepare(text, key, Optional.empty());
    }

    private static JsonNode prepare(String text, String key, Optional<Caller> creator) {
        JsonNode root = JsonText.parse(text);
        JsonNode body = root.isObject() ? root.get(key) : null;
        if (body instanceof ObjectNode object) {
            creator.ifPresent(caller -> tenant(object, key, caller));
            convert(object);
        }
        return root;
    }

    /** Fills in or checks {@code tenant_id}. */
    static void tenant(ObjectNode object, String key, Caller caller) {
        JsonNode given = object.get("tenant_id");
        if (given == null) {
            object.put("tenant_id", caller.tenantId());
        } else if (given.isTextual() && !caller.owns(given.textValue())) {
            throw new ApiError(403, "PolicyNotAuthorized", key + ".tenant_id: only an administrator may create objects "
                    + "for another tenant; your tenant is " + caller.tenantId() + " (rejected: \"" + given.textValue()
                    + "\")");
        }
    }

    /** A number node of the type the parser gives the same digits: int, long or big integer. */
    private static JsonNode number(BigInteger value) {
        if (value.bitLength() < Integer.SIZE) {
            return JsonNodeFactory.instance.numberNode(value.intValue());
        }
        return value.bitLength() < Long.SIZE ? JsonNodeFactory.instance.numberNode(value.longValue())
                : JsonNodeFactory.instance.numberNode(value);
    }

    /** Applies Neutron's input conversions to the attributes of one object. */
    static void convert(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode v = object.get(name);
            if (!v.isTextual()) {
                continue;
            }
            String s = v.textValue().strip();
            if (INTEGER_ATTRIBUTES.contains(name) && INTEGER.matcher(s).matches()) {
                object.set(name, number(new BigInteger(s.startsWith("+") ? s.substring(1) : s)));
            } else if (BOOLEAN_ATTRIBUTES.contains(name)) {
                switch (s.toLowerCase(Locale.ROOT)) {
                    case "true", "1" -> object.set(name, BooleanNode.TRUE);
                    case "false", "0" -> object.set(name, BooleanNode.FALSE);
                    default -> {
                        // left for the codec: "must be true or false"
                    }
                }
            }
        }
    }
}
