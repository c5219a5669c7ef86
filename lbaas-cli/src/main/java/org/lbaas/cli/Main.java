package org.lbaas.cli;

import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Entry point of the {@code lbaas} executable jar. Sets up logging (SLF4J simple, on standard
 * error, warnings only unless {@code --verbose} is given: once for INFO, twice for DEBUG; stack
 * traces only with {@code --verbose}, see {@link TracelessOutput}), runs
 * {@link Cli} and exits with its status.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs the command line and exits.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintStream err = System.err;
        if (configureLogging(args) == 0) {
            // The log (slf4j-simple writes to System.err) without stack traces; the command's own
            // errors go to the real standard error.
            System.setErr(new PrintStream(new TracelessOutput(err, Charset.defaultCharset()), false, Charset.defaultCharset()));
        }
        int status = new Cli(new Io(System.in, System.out, err, Host.system())).run(args);
        System.err.flush();
        System.exit(status);
    }

    /**
     * Must run before the first logger is created: slf4j-simple reads these properties once.
     *
     * @return how many {@code --verbose} were given
     */
    static int configureLogging(String[] args) {
        int verbose = 0;
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            if (a.equals("--verbose")) {
                verbose++;
            }
        }
        String level = verbose == 0 ? "warn" : verbose == 1 ? "info" : "debug";
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", verbose > 1 ? "true" : "false");
        setIfAbsent("org.slf4j.simpleLogger.showLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "false");
        // ZooKeeper's and Curator's clients log every failed connection attempt, and ZooKeeper's server (lbaas demo
        // --cluster) every session: the commands report what failed themselves, one line each.
        String zookeeper = verbose == 0 ? "error" : verbose == 1 ? "warn" : "debug";
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.zookeeper", zookeeper);
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.curator", zookeeper);
        return verbose;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
