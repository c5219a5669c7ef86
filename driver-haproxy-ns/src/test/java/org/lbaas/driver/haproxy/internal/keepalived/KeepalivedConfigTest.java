package org.lbaas.driver.haproxy.internal.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.lbaas.driver.haproxy.internal.InstanceId;

/** Every refusal of {@link KeepalivedConfig}, each naming the field, the value and the rule. */
class KeepalivedConfigTest {

    private static final KeepalivedConfig GOOD = KeepalivedCases.all().get(0).config();

    /** A mutable copy of the record's components, so each test changes exactly one. */
    private static final class Draft {
        InstanceId instance = GOOD.instance();
        String haInterface = GOOD.haInterface();
        InetAddress source = GOOD.unicastSource();
        InetAddress peer = GOOD.unicastPeer();
        VirtualAddress haAddress = GOOD.haAddress();
        int vrid = GOOD.virtualRouterId();
        int priority = GOOD.priority();
        Duration advert = GOOD.advertInterval();
        VirtualAddress vip = GOOD.vip();
        List<String> tracked = GOOD.trackInterfaces();
        Path trackFile = GOOD.trackFile();
        Optional<Path> notify = GOOD.notifyScript();

        KeepalivedConfig build() {
            return new KeepalivedConfig(instance, haInterface, source, peer, haAddress, vrid, priority, advert, vip, tracked,
                    trackFile, notify);
        }
    }

    private static void assertRefused(String field, String value, String rule, UnaryOperator<Draft> change) {
        assertRefused(field, value, rule, () -> change.apply(new Draft()).build());
    }

    private static void assertRefused(String field, String value, String rule, Executable action) {
        KeepalivedConfigException e = assertThrows(KeepalivedConfigException.class, action);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith("keepalived " + field + " "), e.getMessage());
        String shown = value.equals("null") ? " null " : "'" + value + "'";
        assertTrue(e.getMessage().contains(shown), "value " + value + " not in: " + e.getMessage());
        assertTrue(e.getMessage().contains(rule), "rule '" + rule + "' not in: " + e.getMessage());
    }

    @Test
    void theDraftOfTheGoldenCaseIsAccepted() {
        assertEquals(GOOD, new Draft().build());
    }

    @Test
    void badInterfaceNamesAreRefused() {
        assertRefused("haInterface", "ha0 {", "may hold only letters, digits, '_', '.' and '-'", d -> { d.haInterface = "ha0 {"; return d; });
        assertRefused("haInterface", "a234567890123456", "must be 1 to 15 characters", d -> { d.haInterface = "a234567890123456"; return d; });
        assertRefused("haInterface", "", "must be 1 to 15 characters", d -> { d.haInterface = ""; return d; });
        assertRefused("haInterface", "-x", "must start with a letter or digit", d -> { d.haInterface = "-x"; return d; });
        assertRefused("haInterface", "..", "must start with a letter or digit", d -> { d.haInterface = ".."; return d; });
        assertRefused("haInterface", "eth0#x", "may hold only", d -> { d.haInterface = "eth0#x"; return d; });
        assertRefused("haInterface", "eth0\\u000a}", "may hold only", d -> { d.haInterface = "eth0\n}"; return d; });
        assertRefused("haInterface", "null", "must not be null", d -> { d.haInterface = null; return d; });
        assertRefused("trackInterfaces[1]", "$x", "must start with a letter or digit",
                d -> { d.tracked = List.of("eth0", "$x"); return d; });
        assertRefused("trackInterfaces[1]", "eth0", "must not repeat an interface", d -> { d.tracked = List.of("eth0", "eth0"); return d; });
        assertRefused("device", "v!p", "may hold only", () -> VirtualAddress.host(InetAddresses.forString("10.0.0.1"), "v!p"));
    }

    @Test
    void tooManyTrackedInterfacesAreRefused() {
        List<String> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add("eth" + i);
        }
        assertRefused("trackInterfaces", "9 interfaces", "must be at most 8", d -> { d.tracked = nine; return d; });
    }

    @Test
    void outOfRangeNumbersAreRefused() {
        assertRefused("virtualRouterId", "0", "must be between 1 and 255", d -> { d.vrid = 0; return d; });
        assertRefused("virtualRouterId", "256", "must be between 1 and 255", d -> { d.vrid = 256; return d; });
        assertRefused("priority", "0", "must be between 1 and 254", d -> { d.priority = 0; return d; });
        assertRefused("priority", "255", "must be between 1 and 254", d -> { d.priority = 255; return d; });
    }

    @Test
    void badAdvertIntervalsAreRefused() {
        assertRefused("advertInterval", "PT0.009S", "must be between 0.01 s and 40.95 s", d -> { d.advert = Duration.ofMillis(9); return d; });
        assertRefused("advertInterval", "PT40.96S", "must be between 0.01 s and 40.95 s", d -> { d.advert = Duration.ofMillis(40_960); return d; });
        assertRefused("advertInterval", "PT0.123S", "must be whole centiseconds", d -> { d.advert = Duration.ofMillis(123); return d; });
        assertRefused("advertInterval", "PT-1S", "must be between", d -> { d.advert = Duration.ofSeconds(-1); return d; });
        assertRefused("advertInterval", "null", "must not be null", d -> { d.advert = null; return d; });
    }

    @Test
    void advertIntervalIsWrittenInSecondsWithAtMostTwoDecimals() {
        assertEquals("0.01", KeepalivedTokens.interval("a", Duration.ofMillis(10)));
        assertEquals("0.05", KeepalivedTokens.interval("a", Duration.ofMillis(50)));
        assertEquals("0.1", KeepalivedTokens.interval("a", Duration.ofMillis(100)));
        assertEquals("0.25", KeepalivedTokens.interval("a", Duration.ofMillis(250)));
        assertEquals("1", KeepalivedTokens.interval("a", Duration.ofSeconds(1)));
        assertEquals("1.5", KeepalivedTokens.interval("a", Duration.ofMillis(1500)));
        assertEquals("40.95", KeepalivedTokens.interval("a", Duration.ofMillis(40_950)));
    }

    @Test
    void badAddressesAreRefused() {
        InetAddress v6 = InetAddresses.forString("fe80::1");
        assertRefused("unicastSource", "fe80::1", "must be IPv4", d -> { d.source = v6; return d; });
        assertRefused("unicastPeer", "fe80::1", "must be IPv4", d -> { d.peer = v6; return d; });
        assertRefused("unicastPeer", GOOD.unicastSource().getHostAddress(), "must differ from unicastSource",
                d -> { d.peer = d.source; return d; });
        assertRefused("haAddress", "2001:db8::1", "must be IPv4",
                d -> { d.haAddress = new VirtualAddress(InetAddresses.forString("2001:db8::1"), 64, d.haInterface); return d; });
        assertRefused("haAddress.device", "other0", "must be the haInterface",
                d -> { d.haAddress = new VirtualAddress(d.haAddress.address(), 29, "other0"); return d; });
        assertRefused("address.prefixLength", "33", "must be between 1 and 32",
                () -> new VirtualAddress(InetAddresses.forString("10.0.0.1"), 33, "eth0"));
        assertRefused("address.prefixLength", "129", "must be between 1 and 128",
                () -> new VirtualAddress(InetAddresses.forString("2001:db8::1"), 129, "eth0"));
        assertRefused("vip", "null", "must not be null", d -> { d.vip = null; return d; });
    }

    @Test
    void badPathsAreRefused() {
        assertRefused("trackFile", "relative/file", "must be an absolute path", d -> { d.trackFile = Path.of("relative/file"); return d; });
        assertRefused("trackFile", "/var/lib/with space", "may hold only letters, digits and _ . / + -",
                d -> { d.trackFile = Path.of("/var/lib/with space"); return d; });
        assertRefused("trackFile", "/var/lib/\"quoted\"", "may hold only", d -> { d.trackFile = Path.of("/var/lib/\"quoted\""); return d; });
        assertRefused("trackFile", "/var/lib/$HOME", "may hold only", d -> { d.trackFile = Path.of("/var/lib/$HOME"); return d; });
        assertRefused("trackFile", "/var/../etc/passwd", "must not have a '.' or '..' component",
                d -> { d.trackFile = Path.of("/var/../etc/passwd"); return d; });
        assertRefused("notifyScript", "/tmp/a;rm", "may hold only", d -> { d.notify = Optional.of(Path.of("/tmp/a;rm")); return d; });
        assertRefused("notifyScript", "null", "must not be null", d -> { d.notify = null; return d; });
        assertRefused("config", "/etc/keepalived/x y.conf", "may hold only",
                () -> KeepalivedRenderer.checkArguments(Path.of("/etc/keepalived/x y.conf")));
    }

    @Test
    void onlyTheTwoOrdinalsOfAPairAreAccepted() {
        assertRefused("ordinal", "2", "must be 0 or 1", d -> { d.instance = new InstanceId(KeepalivedCases.POOL, 2); return d; });
    }

    @Test
    void instanceNameIsDerivedFromPoolIdAndOrdinal() {
        assertEquals("lb-" + KeepalivedCases.POOL + "-0", GOOD.instanceName());
    }

    @Test
    void startArgumentsGiveEachProcessItsOwnPidFiles() {
        assertEquals(List.of("--vrrp", "-f", "/s/k.conf", "-p", "/s/k.pid", "-r", "/s/vrrp.pid"),
                KeepalivedRenderer.startArguments(Path.of("/s/k.conf"), Path.of("/s/k.pid"), Path.of("/s/vrrp.pid")));
        assertEquals(List.of("-t", "-f", "/s/k.conf"), KeepalivedRenderer.checkArguments(Path.of("/s/k.conf")));
    }
}
