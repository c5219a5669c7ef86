package org.lbaas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lbaas help [COMMAND]}: the same help as {@code lbaas [COMMAND] --help}. */
@Command(name = "help", hidden = true, description = "show the help of lbaas or of one command")
final class HelpCommand extends LbaasCommand {

    @Parameters(paramLabel = "COMMAND", arity = "0..1", description = "the command to explain (default: all of them)")
    String topic;

    @Override
    public Integer call() {
        CommandLine root = spec().parent().commandLine();
        CommandLine target = root;
        if (topic != null) {
            target = root.getSubcommands().get(topic);
            if (target == null) {
                throw new UsageException("lbaas: unknown command '" + topic + "'; commands: "
                        + String.join(", ", Cli.commandNames(root)));
            }
        }
        target.usage(root.getOut());
        root.getOut().flush();
        return 0;
    }
}
