package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.model.Fixtures.assertOnlyViolation;
import static org.lbaas.model.Fixtures.ip;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"192.0.2.1,192.0.2.1,4", "0.0.0.0,0.0.0.0,4", "255.255.255.255,255.255.255.255,4",
            "2001:db8::1,2001:db8::1,6", "2001:0DB8:0000:0000::0001,2001:db8::1,6", "2001:db8:0:0:1:0:0:1,2001:db8::1:0:0:1,6",
            "::,::,6", "::ffff:192.0.2.1,192.0.2.1,4", "2001:db8::192.0.2.1,2001:db8::c000:201,6"})
    void literalsAreParsedAndPrintedCanonically(String literal, String canonical, int version) {
        InetAddress address = IpAddresses.parse(literal).orElseThrow();
        assertEquals(canonical, IpAddresses.toText(address));
        assertEquals(version, IpAddresses.version(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.0.0.1", "010.0.0.1", "0x7f.0.0.1",
            "2130706433", "fe80::1%eth0", "fe80::1%1", "[2001:db8::1]", "2001:db8::1/64", " 1.2.3.4", "1.2.3.4 ",
            "1.2.3.4\n", "", "::1::", "gggg::1", "\u0661.\u0662.\u0663.\u0664", "\uff11.2.3.4"})
    void anythingButAnAsciiIpLiteralIsRejected(String text) {
        assertEquals(Optional.empty(), IpAddresses.parse(text));
        assertOnlyViolation(() -> IpAddresses.parse(text, "members[0].address"), "members[0].address", "address literal");
    }

    @Test
    void nullAndOverlongTextAreRejected() {
        assertEquals(Optional.empty(), IpAddresses.parse(null));
        assertEquals(Optional.empty(), IpAddresses.parse("1".repeat(46)));
        assertTrue(IpAddresses.parse("0000:0000:0000:0000:0000:ffff:255.255.255.255").isPresent());
    }

    @Test
    void textualVariantsOfOneIpv6AddressAreEqual() {
        assertEquals(ip("2001:db8::1"), ip("2001:0db8:0:0::1"));
        assertEquals(ip("2001:db8::1"), ip("2001:DB8:0:0:0:0:0:1"));
    }

    @Test
    void usableUnicastExcludesSpecialAddresses() {
        assertTrue(IpAddresses.isUsableUnicast(ip("192.0.2.1")));
        assertTrue(IpAddresses.isUsableUnicast(ip("2001:db8::1")));
        for (String bad : new String[] {"0.0.0.0", "127.0.0.1", "224.0.0.5", "255.255.255.255", "::", "::1", "ff02::2", "fe80::9"}) {
            assertFalse(IpAddresses.isUsableUnicast(ip(bad)), bad);
        }
    }

    @Test
    void scopedIpv6AddressesAreNotUsableAndPrintWithoutTheirScope() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, ip("2001:db8::5").getAddress(), 3);
        assertFalse(IpAddresses.isUsableUnicast(scoped));
        assertEquals("2001:db8::5", IpAddresses.toText(scoped));
    }

    @Test
    void aHostNameAttachedInCodeNeverReachesTheText() throws Exception {
        InetAddress named = InetAddress.getByAddress("evil\nname", ip("192.0.2.9").getAddress());
        assertTrue(named instanceof Inet4Address);
        assertEquals("192.0.2.9", IpAddresses.toText(named));
    }
}
