package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.model.Subnet;

/** {@link SubnetRegistry#list()}, added to lbaas-api for {@code GET /v2.0/subnets}. */
class SubnetRegistryListTest {

    @Test
    void fixedRegistryListsItsSubnetsInTheOrderGiven() {
        Subnet b = Subnet.of(UUID.randomUUID(), "10.1.0.0/24", null);
        Subnet a = Subnet.of(UUID.randomUUID(), "10.0.0.0/24", "10.0.0.1");
        SubnetRegistry r = SubnetRegistry.of(b, a);
        assertEquals(List.of(b, a), r.list());
        assertEquals(Optional.of(a), r.subnet(a.id()));
        assertEquals(List.of(), SubnetRegistry.of().list());
    }

    @Test
    void aLookupOnlyRegistryListsNothing() {
        SubnetRegistry lookup = id -> Optional.empty();
        assertEquals(List.of(), lookup.list());
    }
}
