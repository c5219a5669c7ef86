package org.lbaas.driver.haproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.lbaas.driver.haproxy.internal.runtime.RuntimeClient;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.testkit.CommandPattern;
import org.lbaas.testkit.Reply;
import org.lbaas.conformance.ConformanceEnvironment;

/**
 * The {@code haproxy-ns} driver on a simulated host for the conformance kit: the production
 * renderer and driver, the {@link Sim}'s fake namespaces and processes behind the environment's
 * recording executor (so the kit's injected failures reach the driver), the state directory inside
 * the environment's directory, and a stats socket whose {@code show stat} answers like HAProxy
 * from the configuration the process runs: one row per server ({@code MAINT} for a disabled
 * server, {@code UP} with a check, {@code no check} without), a backend row whose counters grow
 * with every read and start again at zero in a new process, and nothing for a disabled backend.
 */
final class ConformanceHost {

    private ConformanceHost() {
    }

    static HaproxyNsDriver driver(ConformanceEnvironment env) {
        return driver(env, new Sim(env.directory().resolve("state")));
    }

    /** The driver on a given simulated host (so that the test can crash its processes). */
    static HaproxyNsDriver driver(ConformanceEnvironment env, Sim sim) {
        env.shell().when(CommandPattern.matching("the simulated host", c -> true)).thenAnswer(c -> {
            CommandResult r = sim.shell.execute(c);
            return Reply.exit(r.exitCode()).withStdout(r.stdout()).withStderr(r.stderr());
        });
        HaproxySettings settings = sim.settings();
        return new HaproxyNsDriver(settings, env.shell(), HaproxyNsDriverProvider.renderer(settings, sim.host.openFilesHardLimit()),
                HaproxyNsDriverProvider.interfaceDriver(settings), sim.host, new StatsFromConfig(sim.runtime));
    }

    /**
     * Crashes a load balancer on the simulated host the way {@code kill -9} would: its HAProxy
     * is gone at once, its pid file, namespace and device stay.
     */
    static void crash(Sim sim, HaproxyNsDriver driver, UUID poolId) {
        long pid = sim.pidIn(driver.files(driver.instance(poolId)).pidFile()).orElseThrow(
                () -> new AssertionError("pool " + poolId + " has no pid file to crash"));
        if (sim.host.processes.remove(pid) == null) {
            throw new AssertionError("pool " + poolId + ": HAProxy " + pid + " was not running");
        }
    }

    /** Answers {@code show stat} from the running configuration; everything else goes to the simulator. */
    static final class StatsFromConfig implements RuntimeClient {
        private final RuntimeClient sim;
        private final Map<Long, Long> reads = new ConcurrentHashMap<>();

        StatsFromConfig(RuntimeClient sim) {
            this.sim = sim;
        }

        @Override
        public String execute(Path socket, String command, Duration timeout) throws IOException {
            String answer = sim.execute(socket, command, timeout);
            if (!command.startsWith("show stat")) {
                return answer;
            }
            long pid = Long.parseLong(Files.readString(socket.resolveSibling("pid")).strip());
            long n = reads.merge(pid, 1L, Long::sum);
            return csv(Files.readString(socket.resolveSibling("haproxy.cfg")), n);
        }

        static String csv(String config, long reads) {
            StringBuilder rows = new StringBuilder("# pxname,svname,scur,stot,bin,bout,status,weight,\n");
            String backend = null;
            boolean disabled = false;
            StringBuilder servers = new StringBuilder();
            long weights = 0;
            for (String line : config.split("\n")) {
                String[] t = line.trim().split("\\s+");
                if (!line.startsWith(" ") && !line.isBlank()) {
                    backend = t[0].equals("backend") ? t[1] : null;
                } else if (backend != null && t[0].equals("disabled")) {
                    disabled = true;
                } else if (backend != null && t[0].equals("server")) {
                    List<String> words = List.of(t);
                    int weight = words.contains("weight") ? Integer.parseInt(words.get(words.indexOf("weight") + 1)) : 1;
                    String status = words.subList(3, words.size()).contains("disabled") ? "MAINT"
                            : words.contains("check") ? "UP" : "no check";
                    servers.append(backend).append(',').append(t[1]).append(",0,0,0,0,").append(status).append(',')
                            .append(weight).append(",\n");
                    weights += status.equals("MAINT") ? 0 : weight;
                }
            }
            String name = config.lines().filter(l -> l.startsWith("backend ")).map(l -> l.substring(8).trim()).findFirst()
                    .orElse("none");
            if (disabled) {
                return rows.toString();
            }
            rows.append(servers);
            rows.append(name).append(",BACKEND,0,").append(reads * 3).append(',').append(reads * 1000).append(',')
                    .append(reads * 4000).append(",UP,").append(weights).append(",\n");
            return rows.toString();
        }
    }
}
