package org.lbaas.cli;

import java.util.Map;
import org.lbaas.model.LoadBalancer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code lbaas render FILE}: the HAProxy configuration of a document, built by the haproxy-ns
 * driver itself ({@code HaproxyNsDriver.render}, through {@link DryRun}) with the settings a
 * deploy from the same state directory uses. Runs no command and writes no file.
 */
@Command(name = "render", description = "print the HAProxy configuration the haproxy-ns driver would run",
        footer = {"The configuration is built by the driver itself, exactly as `lbaas deploy` would write it (the stats"
                + " socket path depends on --state-dir). Nothing is started or changed."})
final class RenderCommand extends Shared.StateDirCommand {

    @Parameters(paramLabel = "FILE", description = Shared.FILE)
    String file;

    @Override
    public Integer call() {
        LoadBalancer lb = Documents.read(file, io());
        DryRun.requireDeployable(lb, "lbaas render");
        out().print(DryRun.render("lbaas render", lb, stateDir().driverSettings(Map.of(), false)));
        return 0;
    }
}
