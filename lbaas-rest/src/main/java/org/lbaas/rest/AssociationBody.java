package org.lbaas.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!name.equals("health_monitor")) {
                    violations.add(Violation.of(name, shown(root.get(name)),
                            "is not part of an association request (accepted: health_monitor)"));
                }
            }
            JsonNode body = root.get("health_monitor");
            if (body == null) {
                violations.add(Violation.of("health_monitor", null, "is required"));
            } else if (!body.isObject()) {
                violations.add(Violation.of("health_monitor", shown(body), "must be an object"));
            } else {
                for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (!name.equals("id") && !name.equals("tenant_id")) {
                        violations.add(Violation.of("health_monitor." + name, shown(body.get(name)),
                                "is not an attribute of an association (accepted: id, tenant_id)"));
                    }
                }
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

    private static Object shown(JsonNode node) {
        return node == null ? null : node.isTextual() ? node.textValue() : Json.print(node);
    }
}
