package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.model.Fixtures.assertOnlyViolation;
import static org.lbaas.model.Fixtures.ip;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"10.0.0.0/24,10.0.0.0/24,4", "0.0.0.0/0,0.0.0.0/0,4", "192.0.2.7/32,192.0.2.7/32,4",
            "2001:0DB8:0:0::/64,2001:db8::/64,6", "::/0,::/0,6", "2001:db8::1/128,2001:db8::1/128,6",
            "10.0.0.0/008,10.0.0.0/8,4"})
    void networksWithoutHostBitsAreAcceptedAndPrintedCanonically(String text, String canonical, int version) {
        Cidr cidr = Cidr.parse(text);
        assertEquals(canonical, cidr.toString());
        assertEquals(version, cidr.ipVersion());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/24", "10.0.1.0/23", "192.0.2.128/24", "2001:db8::1/64", "2001:db8:0:1::/63",
            "0.0.0.1/0"})
    void hostBitsAreRejected(String text) {
        assertOnlyViolation(() -> Cidr.parse(text), "cidr", "host bits must be zero");
    }

    @Test
    void prefixLengthsBeyondTheFamilyAreRejected() {
        assertEquals(32, Cidr.parse("10.0.0.0/32").prefixLength());
        assertOnlyViolation(() -> Cidr.parse("10.0.0.0/33"), "cidr", "between 0 and 32");
        assertEquals(128, Cidr.parse("2001:db8::/128").prefixLength());
        assertOnlyViolation(() -> Cidr.parse("2001:db8::/129"), "cidr", "between 0 and 128");
        assertOnlyViolation(() -> new Cidr(ip("10.0.0.0"), -1), "cidr", "between 0 and 32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/", "/24", "10.0.0.0/1234", "10.0.0.0/-1", "10.0.0.0/ 8",
            "10.0.0.0/+8", "localhost/24", "10.0.0/24", "10.0.0.0/24\n", "fe80::%eth0/64", "10.0.0.0/2a"})
    void textThatIsNotACidrIsRejected(String text) {
        assertOnlyViolation(() -> Cidr.parse(text), "cidr", "must be a CIDR");
    }

    @Test
    void nullIsRequired() {
        assertOnlyViolation(() -> Cidr.parse(null), "cidr", "is required");
        assertOnlyViolation(() -> new Cidr(null, 8), "cidr", "is required");
    }

    @Test
    void containsChecksTheNetworkBitsAndTheFamily() {
        Cidr net = Cidr.parse("10.0.0.0/24");
        assertTrue(net.contains(ip("10.0.0.0")));
        assertTrue(net.contains(ip("10.0.0.255")));
        assertFalse(net.contains(ip("10.0.1.0")));
        assertFalse(net.contains(ip("9.255.255.255")));
        assertFalse(net.contains(ip("2001:db8::1")));
        Cidr six = Cidr.parse("2001:db8::/64");
        assertTrue(six.contains(ip("2001:db8::ffff:ffff:ffff:ffff")));
        assertFalse(six.contains(ip("2001:db8:0:1::")));
        assertFalse(six.contains(ip("10.0.0.1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"10.0.0.0/24,10.0.0.255", "10.0.0.0/30,10.0.0.3", "10.0.0.4/31,10.0.0.5", "10.0.0.9/32,10.0.0.9",
            "0.0.0.0/0,255.255.255.255", "128.0.0.0/1,255.255.255.255", "2001:db8::/64,2001:db8::ffff:ffff:ffff:ffff",
            "2001:db8::/127,2001:db8::1", "::/0,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"})
    void lastAddressHasAllHostBitsSet(String cidr, String last) {
        assertEquals(ip(last), Cidr.parse(cidr).lastAddress());
    }
}
