package org.lbaas.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.lbaas.api.json.internal.JsonText;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;

/**
 * The body of {@code POST /lb/pools/{id}/health_monitors}: {@code {"health_monitor": {"id":
 * "<monitor id>"}}}, optionally with the caller's own {@code tenant_id} (which Neutron allowed).
 * Read as strictly as the codec reads the others: every problem is reported with its path.
 */
final class AssociationBody {

    private AssociationBody() {
    }

    static UUID read(String text, Caller caller) {
        JsonNode root = JsonText.parse(text);
        List<Violation> violations = new ArrayList<>();
        UUID id = null;
        if (!root.isObject()) {
            violations.add(Violation.of("$", shown(root), "must be the object {\"health_monitor\": {\"id\": ...}}"));
        } else {
            unknown(root, "", Set.of("health_monitor"), "is not part of an association request (accepted: health_monitor)",
                    violations);
            JsonNode body = root.get("health_monitor");
            if (body == null) {
                violations.add(Violation.of("health_monitor", null, "is required"));
            } else if (!body.isObject()) {
                violations.add(Violation.of("health_monitor", shown(body), "must be an object"));
            } else {
                unknown(body, "health_monitor.", Set.of("id", "tenant_id"),
                        "is not an attribute of an association (accepted: id, tenant_id)", violations);
                JsonNode tenant = body.get("tenant_id");
                if (tenant != null && !tenant.isTextual()) {
                    violations.add(Violation.of("health_monitor.tenant_id", shown(tenant), "must be a string"));
                } else if (tenant != null) {
                    Bodies.tenant((com.fasterxml.jackson.databind.node.ObjectNode) body, "health_monitor", caller);
                }
                JsonNode raw = body.get("id");
                if (raw == null) {
                    violations.add(Violation.of("health_monitor.id", null, "is required"));
                } else if (!raw.isTextual()) {
                    violations.add(Violation.of("health_monitor.id", shown(raw), "must be a string"));
                } else {
                    id = Resource.id(raw.textValue()).orElse(null);
                    if (id == null) {
                        violations.add(Violation.of("health_monitor.id", raw.textValue(), "must be a UUID"));
                    }
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return id;
    }

    /** Reports every attribute of the object that is not accepted, in the object's order. */
    private static void unknown(JsonNode object, String prefix, Set<String> accepted, String rule,
                                List<Violation> violations) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!accepted.contains(name)) {
                violations.add(Violation.of(prefix + name, shown(object.get(name)), rule));
            }
        }
    }

    private static Object shown(JsonNode node) {
        return node == null ? null : node.isTextual() ? node.textValue() : Json.print(node);
    }
}
