package org.lbaas.driver.spi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link DriverProvider}s with {@link ServiceLoader} and selects one by name.
 *
 * <p>Selection is strict: no match throws {@link DriverNotFoundException} listing every name
 * found, two providers with the same name throw {@link DuplicateDriverException} naming both
 * classes; there is no fallback. A provider whose class cannot be loaded or instantiated is
 * reported (logged at WARN, and in {@link Discovery#problems()}) and skipped, without hiding the
 * other providers.
 */
public final class Drivers {

    private static final Logger LOG = LoggerFactory.getLogger(Drivers.class);

    private Drivers() {
    }

    /**
     * Discovers the providers visible to the thread's context class loader (or, in a named module,
     * to the module layer).
     *
     * @return what was found
     */
    public static Discovery discover() {
        return discover(ServiceLoader.load(DriverProvider.class));
    }

    /**
     * Discovers the providers visible to a class loader.
     *
     * @param loader the class loader
     * @return what was found
     */
    public static Discovery discover(ClassLoader loader) {
        return discover(ServiceLoader.load(DriverProvider.class, loader));
    }

    /**
     * Finds the provider with this name among those discovered by {@link #discover()}.
     *
     * @param name the driver name, such as {@code haproxy-ns}
     * @return the provider
     * @throws DriverNotFoundException when no provider has that name
     * @throws DuplicateDriverException when more than one has it
     */
    public static DriverProvider provider(String name) {
        return discover().provider(name);
    }

    static Discovery discover(ServiceLoader<DriverProvider> loader) {
        List<DriverProvider> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Iterator<DriverProvider> it = loader.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                String problem = "a driver provider could not be loaded and is skipped: " + e;
                LOG.warn(problem);
                LOG.debug("stack trace of the provider that failed to load", e);
                problems.add(problem);
            }
        }
        return new Discovery(found, problems);
    }

    /**
     * The providers found by one discovery, and the problems met on the way.
     *
     * @param providers the providers, in discovery order
     * @param problems one line for each provider that could not be loaded
     */
    public record Discovery(List<DriverProvider> providers, List<String> problems) {

        public Discovery {
            providers = List.copyOf(Objects.requireNonNull(providers, "providers"));
            problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
        }

        /** Returns the names found, in discovery order (a duplicated name appears twice). */
        public List<String> names() {
            return providers.stream().map(DriverProvider::name).toList();
        }

        /**
         * Selects the provider with this name.
         *
         * @param name the driver name
         * @return the provider
         * @throws DriverNotFoundException when no provider has that name
         * @throws DuplicateDriverException when more than one has it
         */
        public DriverProvider provider(String name) {
            Objects.requireNonNull(name, "name");
            Map<String, List<DriverProvider>> byName = new LinkedHashMap<>();
            for (DriverProvider p : providers) {
                byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
            }
            List<DriverProvider> matches = byName.get(name);
            if (matches == null) {
                throw new DriverNotFoundException(name, List.copyOf(byName.keySet()), problems);
            }
            if (matches.size() > 1) {
                throw new DuplicateDriverException(name, matches.stream().map(p -> p.getClass().getName()).toList());
            }
            return matches.get(0);
        }
    }
}
