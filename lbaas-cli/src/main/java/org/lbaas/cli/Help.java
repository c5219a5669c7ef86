package org.lbaas.cli;

import java.util.ArrayList;
import java.util.List;

/** Writes usage lines and help texts from the declarations in {@link Cli#commands()}. */
final class Help {

    private static final int COLUMN = 30;
    private static final int WIDTH = 100;

    private Help() {
    }

    /** {@code lbaas deploy [OPTIONS] FILE}. */
    static String usage(CommandSpec c) {
        StringBuilder sb = new StringBuilder("lbaas ").append(c.name()).append(" [OPTIONS]");
        c.operands().forEach(o -> sb.append(' ').append(o.name()));
        return sb.toString();
    }

    /** The help of {@code lbaas --help}: every command with its summary. */
    static String global(List<CommandSpec> commands, List<OptionSpec> globalOptions) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: lbaas COMMAND [OPTIONS] [ARGUMENTS]\n\n");
        sb.append("Validate, render, deploy and observe OpenStack LBaaS v1 load balancers run by HAProxy\n");
        sb.append("in Linux network namespaces, or watch one work with `lbaas demo`.\n\n");
        sb.append("Commands:\n");
        for (CommandSpec c : commands) {
            row(sb, c.name(), c.summary());
        }
        sb.append("\nOptions of every command:\n");
        for (OptionSpec o : globalOptions) {
            row(sb, optionLabel(o), o.description());
        }
        row(sb, "--version", "print the version and exit");
        sb.append("\n");
        sb.append("Run `lbaas COMMAND --help` for a command's arguments and options.\n");
        sb.append(EXIT_STATUS);
        return sb.toString();
    }

    /** The help of {@code lbaas COMMAND --help}. */
    static String command(CommandSpec c, List<OptionSpec> globalOptions) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(usage(c)).append("\n\n");
        sb.append(capitalized(c.summary())).append(".\n");
        if (!c.operands().isEmpty()) {
            sb.append("\nArguments:\n");
            c.operands().forEach(o -> row(sb, o.name(), o.description()));
        }
        sb.append("\nOptions:\n");
        List<OptionSpec> all = new ArrayList<>(c.options());
        all.addAll(globalOptions);
        for (OptionSpec o : all) {
            String description = o.description();
            if (!o.choices().isEmpty() && !o.choices().stream().allMatch(description::contains)) {
                description += " (" + String.join(", ", o.choices()) + ")";
            }
            row(sb, optionLabel(o), description);
        }
        if (!c.details().isEmpty()) {
            sb.append('\n').append(c.details().strip()).append('\n');
        }
        sb.append('\n').append(EXIT_STATUS);
        return sb.toString();
    }

    private static final String EXIT_STATUS =
            "Exit status: 0 success, 2 invalid input (arguments, document, unknown id), 1 any other failure.\n"
                    + "Errors go to standard error, one line each, naming the field or the step.\n";

    private static String optionLabel(OptionSpec o) {
        return (o.name().equals("help") ? "-h, " : "") + o.synopsis();
    }

    private static void row(StringBuilder sb, String label, String text) {
        sb.append("  ").append(label);
        if (label.length() + 3 > COLUMN) {
            sb.append('\n').append(" ".repeat(COLUMN));
        } else {
            sb.append(" ".repeat(COLUMN - 2 - label.length()));
        }
        int col = COLUMN;
        boolean first = true;
        for (String word : text.split(" ")) {
            if (!first && col + 1 + word.length() > WIDTH) {
                sb.append('\n').append(" ".repeat(COLUMN + 2));
                col = COLUMN + 2;
            } else if (!first) {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
            first = false;
        }
        sb.append('\n');
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
