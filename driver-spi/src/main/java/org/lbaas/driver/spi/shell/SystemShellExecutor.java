package org.lbaas.driver.spi.shell;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * {@link ShellExecutor#system()}: real processes through Apache Commons Exec.
 *
 * <p>Per call: a {@link DefaultExecutor} (all exit values accepted), an {@link ExecuteWatchdog}
 * with the command's timeout (SIGTERM), a SIGKILL escalation {@link #KILL_GRACE_MILLIS} later,
 * and a {@link PumpStreamHandler} writing into two {@link BoundedBuffer}s whose pumps are waited
 * for at most {@link #DRAIN_MILLIS} after the process has ended. A {@link ProcessDestroyer} that
 * remembers the process tells a start failure (no process) from a later I/O failure. The command
 * runs on Commons Exec's executor thread while the caller waits on a latch, so an interrupted
 * caller can stop waiting, terminate the process and keep its interrupt status.
 */
final class SystemShellExecutor implements ShellExecutor {

    /** Grace between SIGTERM and SIGKILL for a command that timed out. */
    static final long KILL_GRACE_MILLIS = 1000;

    /** How long output pipes are still read after the process has ended. */
    static final long DRAIN_MILLIS = 2000;

    static final SystemShellExecutor INSTANCE = new SystemShellExecutor();

    private static final class Escalation {
        static final ScheduledThreadPoolExecutor SCHEDULER = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "lbaas-shell-kill");
                t.setDaemon(true);
                return t;
            });
            s.setRemoveOnCancelPolicy(true);
            return s;
        }
    }

    private SystemShellExecutor() {
    }

    @Override
    public CommandResult execute(Command command) {
        Objects.requireNonNull(command, "command");
        BoundedBuffer out = new BoundedBuffer(command.outputLimit());
        BoundedBuffer err = new BoundedBuffer(command.outputLimit());
        InputStream in = command.stdin().map(ByteArrayInputStream::new).orElse(null);
        DrainingPumpStreamHandler streams = new DrainingPumpStreamHandler(out, err, in, Duration.ofMillis(DRAIN_MILLIS));
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(command.timeout()).get();
        StartTracker tracker = new StartTracker();

        DefaultExecutor.Builder<?> builder = DefaultExecutor.builder().setExecuteStreamHandler(streams);
        command.workingDirectory().ifPresent(builder::setWorkingDirectory);
        DefaultExecutor executor = builder.get();
        executor.setExitValues(null);
        executor.setWatchdog(watchdog);
        executor.setProcessDestroyer(tracker);

        CommandLine commandLine;
        try {
            commandLine = toCommandLine(command.argv());
        } catch (IllegalArgumentException e) {
            throw new CommandStartException(command, e);
        }
        Map<String, String> environment = environment(command);

        long start = System.nanoTime();
        ScheduledFuture<?> kill = Escalation.SCHEDULER.schedule(
                tracker::killIfAlive, command.timeout().toMillis() + KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        Completion completion = new Completion();
        try {
            try {
                // Asynchronous execution so that this thread can be interrupted (Commons Exec's
                // synchronous variant swallows the interrupt).
                executor.execute(commandLine, environment, completion);
            } catch (IOException e) {
                throw new CommandStartException(command, e);
            }
            try {
                completion.done.await();
            } catch (InterruptedException e) {
                tracker.abandon();
                Thread.currentThread().interrupt();
                throw new CommandInterruptedException(command, e);
            }
        } finally {
            kill.cancel(false);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (completion.failure != null) {
            Throwable cause = completion.failure.getCause() != null ? completion.failure.getCause() : completion.failure;
            if (!tracker.started()) {
                throw new CommandStartException(command, cause);
            }
            if (watchdog.killedProcess()) {
                throw new CommandTimeoutException(command, out.text(), err.text(), elapsed);
            }
            throw new UncheckedIOException("I/O failure while running " + command.commandLine(),
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        if (watchdog.killedProcess()) {
            throw new CommandTimeoutException(command, out.text(), err.text(), elapsed);
        }
        return new CommandResult(command, completion.exitCode, out.text(), out.truncated(), err.text(), err.truncated(),
                elapsed);
    }

    /** Receives the outcome from Commons Exec's executor thread. */
    private static final class Completion implements ExecuteResultHandler {
        final CountDownLatch done = new CountDownLatch(1);
        volatile int exitCode;
        volatile ExecuteException failure;

        @Override
        public void onProcessComplete(int exitValue) {
            exitCode = exitValue;
            done.countDown();
        }

        @Override
        public void onProcessFailed(ExecuteException e) {
            failure = e;
            done.countDown();
        }
    }

    private static CommandLine toCommandLine(List<String> argv) {
        CommandLine commandLine = new CommandLine(argv.get(0));
        for (String argument : argv.subList(1, argv.size())) {
            // false: no quoting added; each element is one argv entry as it is.
            commandLine.addArgument(argument, false);
        }
        return commandLine;
    }

    /** Null means "inherit unchanged" to Commons Exec; otherwise the complete environment. */
    private static Map<String, String> environment(Command command) {
        if (command.environment().isEmpty()) {
            return null;
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(command.environment());
        return env;
    }

    /**
     * Remembers the started process (Commons Exec adds it right after a successful launch) and
     * terminates it if the caller gave up on it.
     */
    private static final class StartTracker implements ProcessDestroyer {
        private Process process;
        private boolean abandoned;

        @Override
        public synchronized boolean add(Process p) {
            this.process = p;
            if (abandoned) {
                terminate(p);
            }
            return true;
        }

        @Override
        public boolean remove(Process p) {
            return true;
        }

        @Override
        public synchronized int size() {
            return process == null ? 0 : 1;
        }

        synchronized boolean started() {
            return process != null;
        }

        /** The caller stops waiting: SIGTERM now (or as soon as it starts), SIGKILL after the grace. */
        synchronized void abandon() {
            abandoned = true;
            if (process != null) {
                terminate(process);
            }
        }

        synchronized void killIfAlive() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }

        private static void terminate(Process p) {
            p.destroy();
            Escalation.SCHEDULER.schedule(() -> {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }, KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A pump stream handler that waits a bounded time for its pumps when the process has ended,
     * instead of forever: a child that leaves a grandchild holding the pipe open must not hang
     * the caller.
     */
    private static final class DrainingPumpStreamHandler extends PumpStreamHandler {
        private final List<Thread> pumps = new CopyOnWriteArrayList<>();
        private final Duration drain;

        DrainingPumpStreamHandler(OutputStream out, OutputStream err, InputStream in, Duration drain) {
            super(out, err, in);
            this.drain = drain;
        }

        @Override
        protected Thread createPump(InputStream is, OutputStream os, boolean closeWhenExhausted) {
            Thread pump = super.createPump(is, os, closeWhenExhausted);
            pumps.add(pump);
            return pump;
        }

        @Override
        public void stop() {
            long deadline = System.nanoTime() + drain.toNanos();
            for (Thread pump : pumps) {
                long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMillis <= 0) {
                    break;
                }
                try {
                    pump.join(leftMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    /** Keeps the first {@code limit} bytes written and remembers whether more came. */
    static final class BoundedBuffer extends OutputStream {
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private boolean truncated;

        BoundedBuffer(int limit) {
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            if (kept.size() < limit) {
                kept.write(b);
            } else {
                truncated = true;
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = limit - kept.size();
            int n = Math.min(room, len);
            kept.write(b, off, n);
            if (n < len) {
                truncated = true;
            }
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }

        synchronized boolean truncated() {
            return truncated;
        }
    }
}
