package org.lbaas.rest;

import java.util.List;
import java.util.stream.Collectors;
import org.lbaas.api.ConflictException;
import org.lbaas.api.InvalidRequestException;
import org.lbaas.api.InvalidStateException;
import org.lbaas.api.LbaasException;
import org.lbaas.api.NotFoundException;
import org.lbaas.api.ObjectKind;
import org.lbaas.api.StorageException;
import org.lbaas.api.UnsupportedByDriverException;
import org.lbaas.api.json.InvalidJsonException;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;

/**
 * Maps the failures of the service and of the JSON codec to Neutron's error responses. The
 * {@code type} is the name of the Neutron LBaaS v1 exception for the same failure where one
 * existed ({@code PoolNotFound}, {@code VipExists}, {@code PoolInUse}, ...), so that clients that
 * look at it keep working; the status is always the one the failure deserves, also where v1
 * answered 500.
 */
final class Errors {

    private Errors() {
    }

    /**
     * Returns the error response for a failure that is not already an {@link ApiError}, or empty
     * for an unexpected one (a bug: answered with a generic 500).
     */
    static java.util.Optional<ApiError> map(RuntimeException e) {
        return map(e, java.util.Optional.empty());
    }

    /**
     * Returns the error response for a failure, as the given caller may see it: a conflict names
     * the conflicting object only when it is the caller's (an administrator sees all); without a
     * caller it names none.
     */
    static java.util.Optional<ApiError> map(RuntimeException e, java.util.Optional<Caller> viewer) {
        if (e instanceof ConflictException c) {
            boolean visible = c.conflicting().isEmpty()
                    || viewer.map(v -> v.owns(c.conflicting().get().tenantId())).orElse(false);
            return java.util.Optional.of(new ApiError(409, conflictType(c),
                    visible ? c.getMessage() : c.messageWithoutConflicting()));
        }
        if (e instanceof ApiError a) {
            return java.util.Optional.of(a);
        }
        if (e instanceof InvalidJsonException j) {
            return java.util.Optional.of(ApiError.badRequest(j.getMessage()));
        }
        if (e instanceof ValidationException v) {
            return java.util.Optional.of(ApiError.badRequest("Invalid input: " + join(v.violations())));
        }
        if (e instanceof LbaasException l) {
            return java.util.Optional.of(service(l));
        }
        if (e instanceof DriverException d) {
            return java.util.Optional.of(new ApiError(503, "DriverError", d.tenantMessage()));
        }
        return java.util.Optional.empty();
    }

    private static ApiError service(LbaasException e) {
        if (e instanceof NotFoundException) {
            return new ApiError(404, notFoundType(e.kind()), e.getMessage());
        }
        if (e instanceof InvalidRequestException) {
            return new ApiError(400, "HTTPBadRequest", e.getMessage());
        }
        if (e instanceof UnsupportedByDriverException) {
            return new ApiError(400, "UnsupportedByDriver", e.getMessage());
        }
        if (e instanceof InvalidStateException) {
            return new ApiError(409, "StateInvalid", e.getMessage());
        }
        if (e instanceof StorageException) {
            return new ApiError(500, "StorageError", "the change could not be stored; it may not have been made: "
                    + e.getMessage());
        }
        return new ApiError(500, "HTTPInternalServerError", e.getMessage());
    }

    static String notFoundType(ObjectKind kind) {
        return switch (kind) {
            case POOL -> "PoolNotFound";
            case MEMBER -> "MemberNotFound";
            case HEALTH_MONITOR -> "HealthMonitorNotFound";
            case VIP -> "VipNotFound";
            case ASSOCIATION -> "PoolMonitorAssociationNotFound";
            case SUBNET -> "SubnetNotFound";
        };
    }

    /** Neutron's type for a conflict, by its reason (v1's names where v1 had one). */
    static String conflictType(ConflictException e) {
        return switch (e.reason()) {
            case VIP_EXISTS -> "VipExists";
            case ADDRESS_IN_USE -> "IpAddressInUse";
            case PORT_IN_USE -> "PortInUse";
            case NO_FREE_ADDRESS -> "IpAddressGenerationFailure";
            case MEMBER_EXISTS -> "MemberExists";
            case ASSOCIATION_EXISTS -> "PoolMonitorAssociationExists";
            case IN_USE, OTHER -> switch (e.kind()) {
                case POOL -> "PoolInUse";
                case HEALTH_MONITOR -> "HealthMonitorInUse";
                case ASSOCIATION -> "PoolMonitorAssociationExists";
                case MEMBER -> "MemberExists";
                case VIP, SUBNET -> "Conflict";
            };
        };
    }

    /** Every violation on one line: {@code path: rule (rejected: value); ...}. */
    static String join(List<Violation> violations) {
        return violations.stream().map(Violation::message).collect(Collectors.joining("; "));
    }
}
