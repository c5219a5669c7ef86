package org.lbaas.driver.spi;

import java.util.List;

/** More than one discovered driver provider has the requested name. The message names every class. */
public final class DuplicateDriverException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> classes;

    DuplicateDriverException(String name, List<String> classes) {
        super("more than one lbaas driver is named '" + name + "': " + String.join(", ", classes)
                + "; remove one of them from the class path");
        this.classes = List.copyOf(classes);
    }

    /** Returns the provider classes that share the name. */
    public List<String> classes() {
        return classes;
    }
}
