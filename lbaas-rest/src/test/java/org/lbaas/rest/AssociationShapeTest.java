package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRootName;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The association answer read the way openstack4j 3.12 reads it: {@code associateHealthMonitor}
 * parses the 201 body into its health monitor model ({@code @JsonRootName("health_monitor")}) with
 * an object mapper that unwraps the root value and ignores unknown attributes.
 */
@DisplayName("associating a monitor answers with a body openstack4j can read")
class AssociationShapeTest extends ApiTest {

    /** The shape of openstack4j's NeutronHealthMonitor, as far as it matters here. */
    @JsonRootName("health_monitor")
    static final class Openstack4jHealthMonitor {
        @JsonProperty("id")
        String id;
        @JsonProperty("tenant_id")
        String tenantId;
        @JsonProperty("type")
        String type;
        @JsonProperty("delay")
        Integer delay;
    }

    static final ObjectMapper OPENSTACK4J = new ObjectMapper()
            .enable(DeserializationFeature.UNWRAP_ROOT_VALUE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);


    @Test
    @DisplayName("the answer is exactly {\"health_monitor\": {}} and parses; v1's list body did not")
    void parses() throws Exception {
        String pool = api.pool("web");
        String monitor = api.monitor(5, 3);
        RestFixture.Reply r = api.post("/v2.0/lb/pools/" + pool + "/health_monitors", "{\"health_monitor\": {\"id\": \"" + monitor
                + "\"}}").expect(201);
        assertEquals(RestFixture.MAPPER.readTree("{\"health_monitor\": {}}"), r.json());
        Openstack4jHealthMonitor parsed = OPENSTACK4J.readValue(r.text(), Openstack4jHealthMonitor.class);
        assertNull(parsed.id);

        String oldBody = "{\"health_monitor\": [\"" + monitor + "\"]}";
        assertThrows(MismatchedInputException.class, () -> OPENSTACK4J.readValue(oldBody, Openstack4jHealthMonitor.class),
                "the body v1's plugin returned, which this server sent before");
    }
}
