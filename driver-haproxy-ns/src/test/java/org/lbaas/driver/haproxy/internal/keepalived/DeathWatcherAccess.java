package org.lbaas.driver.haproxy.internal.keepalived;

/** The watcher's script text, for tests outside this package that pin command lines. */
public final class DeathWatcherAccess {

    private DeathWatcherAccess() {
    }

    /** Returns {@link DeathWatcher#SCRIPT}. */
    public static String script() {
        return DeathWatcher.SCRIPT;
    }
}
