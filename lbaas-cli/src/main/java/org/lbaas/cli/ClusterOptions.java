package org.lbaas.cli;

import java.time.Duration;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.lbaas.cluster.Scheduler;
import org.lbaas.cluster.ZooKeeperClients;
import org.lbaas.cluster.ZooKeeperRepository;
import org.lbaas.cluster.ZooKeeperUnreachableException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of the commands that talk to a cluster's ZooKeeper ({@code lbaas agent},
 * {@code lbaas serve --zookeeper}, {@code lbaas cluster status}): {@code --zookeeper},
 * {@code --root}, {@code --session-timeout} and {@code --connect-timeout}.
 */
final class ClusterOptions {

    /** The session timeout asked of ZooKeeper when {@code --session-timeout} is not given. */
    static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(4);
    /** How long a connection is waited for when {@code --connect-timeout} is not given. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--zookeeper", paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "the ZooKeeper ensemble that holds the cluster's desired state")
    String zookeeper;

    @Option(names = "--root", paramLabel = "PATH",
            description = "the cluster's znode root, shared by its controllers and agents (default " + ZooKeeperRepository.DEFAULT_ROOT + ")")
    String root = ZooKeeperRepository.DEFAULT_ROOT;

    @Option(names = "--session-timeout", paramLabel = "TIME", converter = Positive.class,
            description = "the ZooKeeper session timeout asked for, such as 4s or 2500ms; the servers bound it to 2..20 of"
                    + " their ticks (default 4s)")
    Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;

    @Option(names = "--connect-timeout", paramLabel = "TIME", converter = Positive.class,
            description = "how long to wait for ZooKeeper to answer before giving up (default 10s)")
    Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

    /** The connect string, when {@code --zookeeper} is given. */
    Optional<String> given() {
        return Optional.ofNullable(zookeeper);
    }

    /**
     * The connect string of a command that needs one.
     *
     * @param command the command, for the message
     * @throws UsageException when {@code --zookeeper} is missing or the root is not a znode path
     */
    String required(String command) {
        if (zookeeper == null) {
            throw new UsageException(command + ": --zookeeper HOST:PORT[,HOST:PORT...] is required (see '" + command + " --help')");
        }
        try {
            Scheduler.builder().root(root);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": --root: " + e.getMessage());
        }
        return zookeeper;
    }

    /**
     * Connects to ZooKeeper.
     *
     * @param command the command, first words of the message
     * @return the connected client; the caller closes it
     * @throws StepFailedException naming the connect string when no server answered
     * @throws UsageException when {@code --zookeeper} is missing or the root is not a znode path
     */
    CuratorFramework connect(String command) {
        String connect = required(command);
        try {
            return ZooKeeperClients.connect(connect, sessionTimeout, connectTimeout);
        } catch (ZooKeeperUnreachableException e) {
            throw new StepFailedException(command, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": --zookeeper: " + CliException.oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** A positive duration: {@code <n>ms} or {@code <n>s}. */
    static final class Positive implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            Duration d;
            try {
                d = new ServeCommand.Interval().convert(text);
            } catch (TypeConversionException e) {
                d = Duration.ZERO;
            }
            if (d.isZero()) {
                throw new TypeConversionException("wants a positive duration, <n>ms or <n>s (such as 4s), not '" + text + "'");
            }
            return d;
        }
    }
}
