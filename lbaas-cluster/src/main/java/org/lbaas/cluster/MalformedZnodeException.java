package org.lbaas.cluster;

/** A znode whose content is not what the cluster's wire format allows; it is reported and skipped. */
final class MalformedZnodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;

    MalformedZnodeException(String path, String reason, Throwable cause) {
        super("malformed znode " + path + ": " + reason, cause);
        this.path = path;
    }

    String path() {
        return path;
    }
}
