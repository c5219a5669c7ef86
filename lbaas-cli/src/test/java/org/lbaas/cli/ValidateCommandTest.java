package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lbaas validate}: exit 0 for a valid document, 2 and one {@code path: message} line per violation otherwise. */
class ValidateCommandTest {

    private static final Pattern VIOLATION_LINE = Pattern.compile("^(\\$|[a-z_]+(\\[\\d+])?(\\.[a-z_]+(\\[\\d+])?)*): \\S.*$");

    @TempDir
    Path dir;

    private CliRun validate(String document) {
        return CliRun.run("validate", Docs.write(dir, "lb.json", document).toString());
    }

    /** Exit 2, nothing on stdout, every stderr line a violation line, and these among them. */
    private static void rejected(CliRun r, String... expectedLines) {
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.out(), r::toString);
        for (String line : r.errLines()) {
            assertTrue(VIOLATION_LINE.matcher(line).matches(), "not a 'path: message' line: " + line);
        }
        for (String expected : expectedLines) {
            assertTrue(r.errLines().stream().anyMatch(l -> l.startsWith(expected)), "expected a line starting with '" + expected
                    + "' in\n" + r.err());
        }
    }

    @Test
    @DisplayName("the example document is valid and supported by haproxy-ns")
    void exampleIsValid() {
        CliRun r = CliRun.run("validate", "examples/web.json");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("examples/web.json: valid: HTTP pool web a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d ROUND_ROBIN, 3 members,"
                + " 1 health monitor (HTTP), VIP 10.20.0.10:80 HTTP_COOKIE limit 1000; supported by driver haproxy-ns\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    @DisplayName("- reads the document from standard input")
    void standardInput() {
        CliRun r = CliRun.withStdin(Docs.web(), "validate", "-");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("-: valid: "), r::toString);
    }

    @Test
    @DisplayName("malformed JSON: the path reached, line and column")
    void truncated() {
        String web = Docs.web();
        rejected(validate(web.substring(0, web.indexOf("HTTP pool of") + 4)),
                "pool.description: malformed JSON at line 12, column ");
    }

    @Test
    @DisplayName("trailing content after the document is malformed JSON at the top level ($)")
    void trailingContent() {
        rejected(validate(Docs.web() + "\n{}"), "$: malformed JSON at line 59, column ");
    }

    @Test
    @DisplayName("an unknown enum value names the field and lists the allowed values")
    void unknownEnum() {
        rejected(validate(Docs.webWith("\"ROUND_ROBIN\"", "\"FASTEST\"")),
                "pool.lb_method: must be one of [ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP] (rejected: \"FASTEST\")");
    }

    @Test
    @DisplayName("an enum value in the wrong case is not folded")
    void enumCaseIsNotFolded() {
        rejected(validate(Docs.webWith("\"type\": \"HTTP_COOKIE\"", "\"type\": \"http_cookie\"")),
                "vip.session_persistence.type: must be one of");
    }

    @Test
    @DisplayName("a missing required field is named")
    void missingField() {
        rejected(validate(Docs.webWith(",\n    \"lb_method\": \"ROUND_ROBIN\"", "")), "pool.lb_method: is required");
    }

    @Test
    @DisplayName("a value of the wrong JSON type is not coerced")
    void wrongType() {
        rejected(validate(Docs.webWith("\"protocol_port\": 80,", "\"protocol_port\": \"80\",")),
                "vip.protocol_port: must be an integer (rejected: \"80\")");
    }

    @Test
    @DisplayName("an attribute the object does not have is named")
    void unknownAttribute() {
        rejected(validate(Docs.webWith("\"weight\": 2", "\"weight\": 2, \"colour\": \"red\"")),
                "members[1].colour: is not an attribute of a member");
    }

    @Test
    @DisplayName("a rule of one object: a monitor's timeout longer than its delay")
    void ruleOfOneObject() {
        rejected(validate(Docs.webWith("\"delay\": 2,", "\"delay\": 1,").replace("\"timeout\": 1,", "\"timeout\": 2,")),
                "health_monitors[0].timeout: must not exceed delay");
    }

    @Test
    @DisplayName("a value out of range: a port above 65535")
    void outOfRange() {
        rejected(validate(Docs.webWith("\"protocol_port\": 80,", "\"protocol_port\": 70000,")), "vip.protocol_port: ");
    }

    @Test
    @DisplayName("a rule between objects: the VIP outside its subnet")
    void vipOutsideSubnet() {
        rejected(validate(Docs.webWith("\"address\": \"10.20.0.10\"", "\"address\": \"10.30.0.10\"")),
                "vip.address: must lie inside the subnet 10.20.0.0/24");
    }

    @Test
    @DisplayName("a rule between objects: two members with one address and port")
    void duplicateMember() {
        rejected(validate(Docs.webWith("\"address\": \"10.20.0.13\"", "\"address\": \"10.20.0.12\"")),
                "members[2].address: (address, protocol_port) must be unique in the pool");
    }

    @Test
    @DisplayName("a rule between objects: the VIP's protocol differs from the pool's")
    void protocolMismatch() {
        rejected(validate(Docs.webWith("\"protocol\": \"HTTP\",\n    \"lb_method\"", "\"protocol\": \"TCP\",\n    \"lb_method\"")
                .replace("\"type\": \"HTTP_COOKIE\"", "\"type\": \"SOURCE_IP\"")), "vip.protocol: must equal the pool's protocol TCP");
    }

    @Test
    @DisplayName("session persistence: APP_COOKIE needs a cookie name, HTTP_COOKIE takes none")
    void cookieNames() {
        rejected(validate(Docs.webWith("\"type\": \"HTTP_COOKIE\"", "\"type\": \"APP_COOKIE\"")),
                "vip.session_persistence.cookie_name: is required for APP_COOKIE persistence");
        rejected(validate(Docs.webWith("\"type\": \"HTTP_COOKIE\"", "\"type\": \"HTTP_COOKIE\", \"cookie_name\": \"sid\"")),
                "vip.session_persistence.cookie_name: must not be set for HTTP_COOKIE");
    }

    @Test
    @DisplayName("an id that is not a UUID and an address that is not an IP literal")
    void idsAndAddresses() {
        rejected(validate(Docs.webWith("\"id\": \"11111111-2222-4333-8444-555555555501\"", "\"id\": \"member-1\"")
                .replace("\"address\": \"10.20.0.11\"", "\"address\": \"web1.example.com\"")),
                "members[0].id: must be a UUID", "members[0].address: ");
    }

    @Test
    @DisplayName("every violation is reported at once, one line each")
    void everythingAtOnce() {
        String doc = Docs.webWith("\"ROUND_ROBIN\"", "\"FASTEST\"")
                .replace("\"protocol_port\": 80,", "\"protocol_port\": \"80\",")
                .replace("\"weight\": 2", "\"weight\": 2, \"colour\": \"red\"");
        CliRun r = validate(doc);
        rejected(r, "pool.lb_method: ", "vip.protocol_port: ", "members[1].colour: ");
        assertEquals(3, r.errLines().size(), r::toString);
    }

    @Test
    @DisplayName("what the driver does not support: a PING monitor for haproxy-ns; --driver none checks the document only")
    void unsupportedByDriver() {
        String ping = Docs.webWith("\"type\": \"HTTP\",", "\"type\": \"PING\",")
                .replace("\"http_method\": \"GET\",", "").replace("\"url_path\": \"/health\",", "")
                .replace("\"expected_codes\": \"200-204\"", "\"admin_state_up\": true");
        rejected(validate(ping), "health_monitors[0].type: monitor type PING is not supported by this driver");
        CliRun r = CliRun.run("validate", "--driver", "none", dir.resolve("lb.json").toString());
        assertEquals(0, r.exit(), r::toString);
    }

    @Test
    @DisplayName("an unknown driver name is invalid input that lists the drivers found")
    void unknownDriver() {
        CliRun r = CliRun.run("validate", "--driver", "f5", "examples/web.json");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("no lbaas driver named 'f5'; drivers found: haproxy-ns"), r::toString);
    }

    @Test
    @DisplayName("a file that is missing, a directory or not UTF-8 is invalid input naming the file")
    void unreadableFiles() throws IOException {
        assertEquals(List.of("nope.json: no such file"), CliRun.run("validate", "nope.json").errLines());
        CliRun d = CliRun.run("validate", dir.toString());
        assertEquals(2, d.exit());
        assertEquals(List.of(dir + ": is a directory, not a document"), d.errLines());
        Path binary = dir.resolve("bin.json");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'});
        CliRun b = CliRun.run("validate", binary.toString());
        assertEquals(2, b.exit());
        assertEquals(List.of(binary + ": is not UTF-8 text"), b.errLines());
    }
}
