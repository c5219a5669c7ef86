package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaproxyConfigTest {

    private static final String MEMBER = "4f1b8a3e-5c1d-4e2b-9a7f-0123456789ab";

    /** A small configuration using every section type and most token kinds. */
    static HaproxyConfig sample() {
        HaproxyConfig.Builder b = HaproxyConfig.builder();
        b.global()
                .add("daemon")
                .add("maxconn", Token.number(4000))
                .add("stats", Token.keyword("socket"), Token.socketPath("/var/lib/lbaas/p1/sock"), Token.keyword("mode"),
                        Token.number(600), Token.keyword("level"), Token.keyword("admin"));
        b.defaults()
                .add("timeout", Token.keyword("connect"), Token.duration(Duration.ofSeconds(5)));
        b.frontend(Token.ident("fe1"))
                .add("bind", Token.address("2001:db8::5", 80))
                .add("default_backend", Token.ident("be1"));
        b.backend(Token.ident("be1"))
                .add("http-check", Token.keyword("send"), Token.keyword("meth"), Token.keyword("GET"), Token.keyword("uri"),
                        Token.httpUri("/health?x=$1"), Token.keyword("ver"), Token.keyword("HTTP/1.1"), Token.keyword("hdr"),
                        Token.keyword("Host"), Token.logFormatLiteral("lb%check"))
                .add("http-check", Token.keyword("expect"), Token.keyword("status"), Token.statusCodes("200-204"))
                .add("stick", Token.keyword("match"), Token.sampleFetch("req.cook", "APP'SESS"))
                .add("server", Token.ident(MEMBER), Token.address("10.0.0.7", 8080), Token.keyword("weight"), Token.number(1),
                        Token.keyword("cookie"), Token.ident(MEMBER), Token.keyword("check"), Token.keyword("inter"),
                        Token.duration(Duration.ofMillis(1500)));
        return b.build();
    }

    @Test
    void rendersTheFixedLayout() {
        String expected = """
                global
                    daemon
                    maxconn 4000
                    stats socket /var/lib/lbaas/p1/sock mode 600 level admin

                defaults
                    timeout connect 5s

                frontend fe1
                    bind [2001:db8::5]:80
                    default_backend be1

                backend be1
                    http-check send meth GET uri "/health?x=\\$1" ver HTTP/1.1 hdr Host "lb%%check"
                    http-check expect status 200-204
                    stick match "req.cook(\\"APP'SESS\\")"
                    server 4f1b8a3e-5c1d-4e2b-9a7f-0123456789ab 10.0.0.7:8080 weight 1 cookie 4f1b8a3e-5c1d-4e2b-9a7f-0123456789ab check inter 1500ms
                """;
        assertEquals(expected, sample().render());
    }

    @Test
    void theSameStructureRendersByteIdenticalText() {
        assertEquals(sample().render(), sample().render());
        StringBuilder appended = new StringBuilder("prefix:");
        sample().renderTo(appended);
        assertEquals("prefix:" + sample().render(), appended.toString());
        assertEquals(sample().render(), sample().toString());
    }

    @Test
    void everyRenderedLineCutsIntoExactlyTheWordsThatWereAdded() {
        HaproxyConfig config = sample();
        List<List<String>> expected = new ArrayList<>();
        for (Section s : config.sections()) {
            List<String> header = new ArrayList<>(List.of(s.type().word()));
            s.name().ifPresent(n -> header.add(n.text()));
            expected.add(header);
            for (Directive d : s.directives()) {
                List<String> words = new ArrayList<>();
                words.add(d.keyword().text());
                d.args().forEach(t -> words.add(Haproxy26LineModel.words(t.text()).get(0)));
                expected.add(words);
            }
        }
        List<List<String>> actual = new ArrayList<>();
        for (String line : config.render().split("\n", -1)) {
            if (!line.isEmpty()) {
                actual.add(Haproxy26LineModel.words(line));
            }
        }
        assertEquals(expected, actual);
        assertEquals("lb%%check", actual.get(actual.size() - 4).get(10));
    }

    @Test
    void anEmptyConfigurationIsEmptyTextAndAnEmptySectionIsItsHeader() {
        assertEquals("", HaproxyConfig.builder().build().render());
        HaproxyConfig.Builder b = HaproxyConfig.builder();
        b.global();
        b.backend(Token.ident("b"));
        assertEquals("global\n\nbackend b\n", b.build().render());
    }

    @Test
    void sectionsAndDirectivesAreExposedInOrderAndImmutable() {
        HaproxyConfig config = sample();
        assertEquals(List.of(Section.Type.GLOBAL, Section.Type.DEFAULTS, Section.Type.FRONTEND, Section.Type.BACKEND),
                config.sections().stream().map(Section::type).toList());
        Section global = config.sections().get(0);
        assertEquals("maxconn 4000", global.directives().get(1).toString());
        assertThrows(UnsupportedOperationException.class, () -> global.directives().add(global.directives().get(0)));
        assertThrows(UnsupportedOperationException.class, () -> config.sections().clear());
        assertEquals(global.directives().get(1), new Directive(Token.keyword("maxconn"), List.of(Token.number(4000))));
        assertEquals(global.directives().get(1).hashCode(),
                new Directive(Token.keyword("maxconn"), List.of(Token.number(4000))).hashCode());
    }

    @Test
    void aLineHoldsAtMost64Words() {
        List<Token> sixtyThree = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            sixtyThree.add(Token.number(i));
        }
        HaproxyConfig.Builder b = HaproxyConfig.builder();
        b.global().add("k", sixtyThree);
        assertEquals(64, Haproxy26LineModel.words(b.build().render().split("\n")[1]).size());
        sixtyThree.add(Token.number(63));
        MalformedConfigException e = assertThrows(MalformedConfigException.class,
                () -> HaproxyConfig.builder().global().add("k", sixtyThree));
        assertTrue(e.getMessage().contains("65 words"), e.getMessage());
    }

    @Test
    void directiveKeywordsMustBeKeywordsStartingWithALetter() {
        Section.Builder global = HaproxyConfig.builder().global();
        assertThrows(InvalidTokenException.class, () -> global.add("daemon\n    user root"));
        assertThrows(InvalidTokenException.class, () -> global.add(".if"));
        assertThrows(InvalidTokenException.class, () -> global.add("# comment"));
        assertThrows(MalformedConfigException.class, () -> global.add("-m"));
        assertThrows(MalformedConfigException.class, () -> new Directive(Token.quoted("daemon"), List.of()));
        assertThrows(NullPointerException.class, () -> global.add("maxconn", (Token[]) null));
        assertThrows(NullPointerException.class, () -> global.add("maxconn", Token.number(1), null));
    }

    @Test
    void sectionNamesMustBeIdentsAndProxiesNeedOne() {
        HaproxyConfig.Builder b = HaproxyConfig.builder();
        assertThrows(MalformedConfigException.class, () -> b.frontend(Token.quoted("fe 1")));
        assertThrows(MalformedConfigException.class, () -> b.backend(Token.keyword("be")));
        assertThrows(NullPointerException.class, () -> b.backend(null));
        assertEquals("defaults base\n", named().render());
    }

    private static HaproxyConfig named() {
        HaproxyConfig.Builder b = HaproxyConfig.builder();
        b.defaults(Token.ident("base"));
        return b.build();
    }

    @Test
    void duplicateGlobalAndDuplicateNamesAreRefused() {
        HaproxyConfig.Builder twoGlobals = HaproxyConfig.builder();
        twoGlobals.global();
        twoGlobals.global();
        assertThrows(MalformedConfigException.class, twoGlobals::build);

        HaproxyConfig.Builder twoBackends = HaproxyConfig.builder();
        twoBackends.backend(Token.ident("b"));
        twoBackends.backend(Token.ident("b"));
        assertThrows(MalformedConfigException.class, twoBackends::build);

        HaproxyConfig.Builder frontendAndBackend = HaproxyConfig.builder();
        frontendAndBackend.frontend(Token.ident("x"));
        frontendAndBackend.backend(Token.ident("x"));
        frontendAndBackend.defaults();
        frontendAndBackend.defaults();
        assertEquals("frontend x\n\nbackend x\n\ndefaults\n\ndefaults\n", frontendAndBackend.build().render());
    }
}
