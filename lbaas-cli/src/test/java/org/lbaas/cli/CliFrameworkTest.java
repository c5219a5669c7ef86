package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The command framework: help generated from the one table of commands, argument checking and exit codes. */
class CliFrameworkTest {

    /** Every command picocli knows, hidden ones included, in declaration order. */
    static List<CommandSpec> commands() {
        return new Cli(Io.system()).commandLine().getSubcommands().values().stream().map(CommandLine::getCommandSpec).toList();
    }

    /** The commands the global help lists. */
    static List<CommandSpec> listed() {
        return commands().stream().filter(c -> !c.usageMessage().hidden()).toList();
    }

    /** The one-line summary: the first line of the description. */
    static String summary(CommandSpec c) {
        return c.usageMessage().description()[0];
    }

    /** {@code --name VALUE} or {@code --name}, as the help shows it. */
    static String synopsis(OptionSpec o) {
        String label = o.splitRegex().isEmpty() ? o.paramLabel() : o.paramLabel() + "[" + o.splitRegex() + o.paramLabel() + "...]";
        if (o.arity().max() > 0 && o.arity().min() == 0) {
            return o.longestName() + "[=" + label + "]"; // a value that may be left out, as picocli shows it
        }
        return o.longestName() + (o.arity().max() == 0 ? "" : " " + label);
    }

    /** An option's description, on one line. */
    static String description(OptionSpec o) {
        return String.join(" ", o.description());
    }

    @Nested
    @DisplayName("help")
    class HelpTexts {

        @Test
        @DisplayName("lbaas --help lists every command with its one-line summary and exits 0")
        void globalHelpListsEveryCommand() {
            CliRun r = CliRun.run("--help");
            assertEquals(0, r.exit(), r::toString);
            for (CommandSpec c : listed()) {
                assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  " + c.name() + " ") && l.endsWith(summary(c))),
                        "no line for " + c.name() + " in\n" + r.out());
            }
            assertEquals("", r.err());
        }

        @Test
        @DisplayName("every command has --help, generated from its declaration: usage, every operand and option")
        void everyCommandHasGeneratedHelp() {
            for (CommandSpec c : commands()) {
                for (List<String> args : List.of(List.of(c.name(), "--help"), List.of(c.name(), "-h"), List.of("help", c.name()))) {
                    CliRun r = CliRun.run(args.toArray(String[]::new));
                    assertEquals(0, r.exit(), r::toString);
                    String text = r.out().replaceAll("\\s+", " ");
                    assertTrue(text.startsWith("Usage: " + Cli.usage(c)), text);
                    for (PositionalParamSpec o : c.positionalParameters()) {
                        String label = o.required() ? o.paramLabel() : "[" + o.paramLabel() + "]";
                        assertTrue(text.contains(label + " " + String.join(" ", o.description())),
                                "operand " + o.paramLabel() + " of " + c.name());
                    }
                    for (OptionSpec o : c.options()) {
                        assertTrue(text.contains(synopsis(o) + " " + description(o)), "option " + o.longestName() + " of "
                                + c.name() + " in " + text);
                    }
                    assertTrue(text.contains("--verbose") && text.contains("Exit status: 0 success, 2 invalid input"), text);
                }
            }
        }

        @Test
        @DisplayName("every subcommand picocli knows answers --help with its usage on standard output and exit 0")
        void helpForEverySubcommand() {
            List<CommandSpec> all = commands();
            assertTrue(all.size() >= 11, "validate ... serve, and help: " + all.size());
            for (CommandSpec c : all) {
                CliRun r = CliRun.run(c.name(), "--help");
                assertEquals(0, r.exit(), r::toString);
                assertTrue(r.out().startsWith("Usage: lbaas " + c.name()), r::toString);
                assertTrue(r.out().contains(summary(c)), r::toString);
                assertEquals("", r.err(), r::toString);
            }
        }

        @Test
        @DisplayName("help does not run the command, even with its arguments missing")
        void helpWinsOverMissingArguments() {
            CliRun r = CliRun.run("deploy", "--help");
            assertEquals(0, r.exit());
            assertTrue(r.out().contains("Usage: lbaas deploy [OPTIONS] FILE"), r::toString);
        }

        @Test
        @DisplayName("command names are unique and every option is declared once per command")
        void declarationsAreConsistent() {
            Set<String> names = new HashSet<>();
            for (CommandSpec c : commands()) {
                assertTrue(names.add(c.name()), "duplicate command " + c.name());
                Set<String> options = new HashSet<>();
                for (OptionSpec o : c.options()) {
                    assertTrue(options.add(o.longestName()), "option " + o.longestName() + " twice in " + c.name());
                }
                assertFalse(summary(c).endsWith("."), c.name() + ": summaries are one line without a full stop");
            }
        }

        @Test
        @DisplayName("no arguments: the global help on standard error, exit 2")
        void noArguments() {
            CliRun r = CliRun.run();
            assertEquals(2, r.exit());
            assertTrue(r.err().startsWith("Usage: lbaas COMMAND"), r::toString);
        }

        @Test
        @DisplayName("--version prints the version")
        void version() {
            CliRun r = CliRun.run("--version");
            assertEquals(0, r.exit());
            assertTrue(r.out().startsWith("lbaas "), r::toString);
        }
    }

    @Nested
    @DisplayName("invalid command lines exit 2 with one line naming what is wrong")
    class Usage {

        private void invalid(String expected, String... args) {
            CliRun r = CliRun.run(args);
            assertEquals(2, r.exit(), r::toString);
            assertEquals(1, r.errLines().size(), r::toString);
            assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r);
            assertEquals("", r.out());
        }

        @Test
        void unknownCommand() {
            invalid("unknown command 'deplo'; commands: validate, render", "deplo");
        }

        @Test
        void unknownOption() {
            invalid("lbaas validate: unknown option --strict", "validate", "--strict", "x.json");
        }

        @Test
        void unknownOptionAfterTheOperand() {
            invalid("lbaas deploy: unknown option --force", "deploy", "x.json", "--force");
        }

        @Test
        void shortOptionsOtherThanHelpAreUnknown() {
            invalid("lbaas status: unknown option -v", "status", "-v");
        }

        @Test
        void missingOperand() {
            invalid("lbaas validate: missing argument FILE (usage: lbaas validate [OPTIONS] FILE)", "validate");
        }

        @Test
        void extraOperand() {
            invalid("lbaas undeploy: unexpected argument 'b'", "undeploy", "a", "b");
        }

        @Test
        void optionWithoutItsValue() {
            invalid("lbaas deploy: option --state-dir needs a value DIR", "deploy", "x.json", "--state-dir");
        }

        @Test
        void choiceOutsideTheAllowedValues() {
            invalid("lbaas deploy: --interface-driver must be one of linuxbridge, ovs, noop, not 'vxlan'", "deploy", "x.json",
                    "--interface-driver", "vxlan");
        }

        @Test
        void flagWithAValue() {
            invalid("lbaas deploy: option --dry-run takes no value", "deploy", "x.json", "--dry-run=yes");
        }

        @Test
        void optionGivenTwice() {
            invalid("option --bridge is given twice", "deploy", "x.json", "--bridge", "a", "--bridge=b");
        }

        @Test
        void stateDirTooLongForHaproxySockets() {
            invalid("--state-dir: at most " + StateDir.MAX_LENGTH + " characters", "status", "--state-dir",
                    "/" + "d".repeat(StateDir.MAX_LENGTH));
        }
    }

    @Test
    @DisplayName("--name=value, options before the operand and -- before an operand that starts with a dash")
    void optionSyntax() {
        CliRun r = CliRun.run("validate", "--driver=none", "--", "-missing.json");
        assertEquals(2, r.exit());
        assertEquals(List.of("-missing.json: no such file"), r.errLines(), r::toString);
    }
}
