package org.lbaas.testkit;

/**
 * A rule of the lbaas model that a generated invalid load balancer breaks, one constant per rule, as broken by
 * {@link LbArbitraries#invalidLoadBalancers()}. Each constant says what it takes to break the rule
 * and where the violation is reported (Neutron attribute names, relative to the load balancer). Not
 * to be confused with {@code org.lbaas.model.Rules}, the model's own checks that report these breaks.
 */
public enum BrokenRule {
    /** A required value is missing: an id, a name, a protocol, an address, a status... */
    REQUIRED,
    /** A {@code tenant_id} is not 1 to 255 letters, digits, {@code _ . -} starting with a letter or digit. */
    TENANT_ID_FORMAT,
    /** A name or description is longer than 255 characters, a status description longer than 1024. */
    TEXT_TOO_LONG,
    /** A name, description or status description holds a control, format or line-separator character. */
    TEXT_CONTROL_CHARACTERS,
    /** {@code pool.provider} is neither empty nor a lower-case token of at most 64 characters. */
    PROVIDER_FORMAT,
    /** A wire value of an enum (protocol, lb_method) is unknown: no silent default. */
    ENUM_UNKNOWN_VALUE,
    /** A {@code protocol_port} is outside 1..65535. */
    PORT_RANGE,
    /** A member's {@code weight} is outside 0..256. */
    WEIGHT_RANGE,
    /** An address is given as text that is not an IPv4 or IPv6 literal (a host name, a scope id...). */
    ADDRESS_NOT_LITERAL,
    /** An address is unspecified, loopback, multicast, the limited broadcast, IPv6 link-local or scoped. */
    ADDRESS_NOT_UNICAST,
    /** {@code vip.connection_limit} is below -1. */
    CONNECTION_LIMIT_RANGE,
    /** A monitor's {@code delay} is outside 1..86400 seconds (0 is refused: HAProxy cannot probe every 0 s). */
    MONITOR_DELAY_RANGE,
    /** A monitor's {@code timeout} is outside 1..86400 seconds. */
    MONITOR_TIMEOUT_RANGE,
    /** A monitor's {@code timeout} exceeds its {@code delay}. */
    TIMEOUT_EXCEEDS_DELAY,
    /** A monitor's {@code max_retries} is outside 1..10. */
    MAX_RETRIES_RANGE,
    /** An HTTP or HTTPS monitor has no http_method, url_path and expected_codes. */
    HTTP_FIELDS_MISSING,
    /** A PING or TCP monitor carries http_method, url_path and expected_codes. */
    HTTP_FIELDS_NOT_ALLOWED,
    /** A {@code url_path} does not start with {@code /}, is too long or holds a non-RFC 3986 character. */
    URL_PATH_FORMAT,
    /** {@code expected_codes} is not a code, a list or a range of 3-digit codes from 100 to 599. */
    EXPECTED_CODES_FORMAT,
    /** {@code expected_codes} is a range that runs downward ({@code 204-200}). */
    EXPECTED_CODES_REVERSED_RANGE,
    /** {@code expected_codes} lists a code twice. */
    EXPECTED_CODES_REPEATED,
    /** APP_COOKIE persistence without a {@code cookie_name}. */
    COOKIE_NAME_MISSING,
    /** SOURCE_IP or HTTP_COOKIE persistence with a {@code cookie_name}. */
    COOKIE_NAME_NOT_ALLOWED,
    /** A {@code cookie_name} that is not 1 to 64 RFC 6265 token characters. */
    COOKIE_NAME_FORMAT,
    /** Cookie persistence (HTTP_COOKIE, APP_COOKIE) on a VIP whose protocol is not HTTP. */
    COOKIE_PERSISTENCE_NEEDS_HTTP,
    /** A subnet's CIDR text is not {@code address/prefix}. */
    CIDR_FORMAT,
    /** A CIDR prefix length is outside 0..32 (IPv4) or 0..128 (IPv6). */
    CIDR_PREFIX_RANGE,
    /** A CIDR's network address has host bits set. */
    CIDR_HOST_BITS,
    /** A subnet's gateway lies outside its CIDR (or is of the other IP family). */
    GATEWAY_OUTSIDE_SUBNET,
    /** A subnet's gateway is its network address. */
    GATEWAY_IS_NETWORK_ADDRESS,
    /** An IPv4 subnet's gateway is its broadcast address. */
    GATEWAY_IS_BROADCAST_ADDRESS,
    /** The VIP's {@code pool_id} is not the pool's id. */
    VIP_POOL_MISMATCH,
    /** The VIP's protocol differs from the pool's. */
    VIP_PROTOCOL_MISMATCH,
    /** The VIP's tenant differs from the pool's. */
    VIP_TENANT_MISMATCH,
    /** The VIP's {@code subnet_id} is not the subnet's id. */
    VIP_SUBNET_MISMATCH,
    /** The VIP's address lies outside its subnet (or is of the other IP family). */
    VIP_ADDRESS_OUTSIDE_SUBNET,
    /** The VIP's address is its subnet's gateway. */
    VIP_ADDRESS_IS_GATEWAY,
    /** The VIP's address is the IPv4 network address or the IPv6 subnet-router anycast address. */
    VIP_ADDRESS_IS_NETWORK,
    /** The VIP's address is the IPv4 broadcast address of its subnet. */
    VIP_ADDRESS_IS_BROADCAST,
    /** A member's {@code pool_id} is not the pool's id. */
    MEMBER_POOL_MISMATCH,
    /** A member's tenant differs from the pool's. */
    MEMBER_TENANT_MISMATCH,
    /** Two members share an id. */
    MEMBER_ID_DUPLICATE,
    /** Two members share {@code (address, protocol_port)}. */
    MEMBER_ENDPOINT_DUPLICATE,
    /** A health monitor is associated twice (two monitors share an id). */
    MONITOR_ID_DUPLICATE,
    /** A health monitor's tenant differs from the pool's. */
    MONITOR_TENANT_MISMATCH
}
