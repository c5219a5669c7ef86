package org.lbaas.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.NotFoundException;
import org.lbaas.api.ObjectKind;
import org.lbaas.api.PoolView;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.api.json.internal.WireShape;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.Subnet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request of the server: authentication, routing, the call, and the response or Neutron's
 * error body. Stateless apart from its collaborators, so one instance serves all worker threads.
 */
final class ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    static final Set<String> SUBNET_ATTRIBUTES = Set.of("id", "name", "cidr", "gateway_ip", "ip_version");
    private static final String VERSION = "v2.0";

    private final LoadBalancerService service;
    private final Resources resources;
    private final SubnetRegistry subnets;
    private final Authenticator authenticator;
    private final int maxBodyBytes;

    ApiHandler(LoadBalancerService service, SubnetRegistry subnets, Authenticator authenticator, int maxBodyBytes) {
        this.service = Objects.requireNonNull(service, "service");
        this.resources = new Resources(service);
        this.subnets = Objects.requireNonNull(subnets, "subnets");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.maxBodyBytes = maxBodyBytes;
    }

    /** An answer: status, body (none for 204) and extra headers. */
    record Response(int status, Optional<JsonNode> body, Map<String, String> headers) {
        /** The body as UTF-8 JSON text, empty for none. */
        byte[] bytes() {
            return body.map(b -> Json.print(b).getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
        }

        static Response ok(JsonNode body) {
            return new Response(200, Optional.of(body), Map.of());
        }

        static Response created(JsonNode body) {
            return new Response(201, Optional.of(body), Map.of());
        }

        static Response noContent() {
            return new Response(204, Optional.empty(), Map.of());
        }
    }

    /** One request, routed. */
    private record Call(Exchange exchange, String method, List<String> path, Query query, String baseUrl) {
        String segment(int i) {
            return path.get(i);
        }
    }

    /**
     * Answers one request: never throws; a failure becomes Neutron's error body. The answer always
     * carries {@code X-Openstack-Request-Id} and, with a body, {@code Content-Type}.
     */
    Response handle(Exchange exchange) {
        String requestId = "req-" + UUID.randomUUID();
        AtomicReference<Caller> caller = new AtomicReference<>();
        Response response;
        try {
            response = dispatch(exchange, caller);
        } catch (RuntimeException e) {
            response = error(exchange, requestId, e, Optional.ofNullable(caller.get()));
        }
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("X-Openstack-Request-Id", requestId);
        if (response.body().isPresent()) {
            headers.put("Content-Type", "application/json; charset=UTF-8");
        }
        return new Response(response.status(), response.body(), headers);
    }

    private Response error(Exchange exchange, String requestId, RuntimeException e, Optional<Caller> caller) {
        Optional<ApiError> mapped = Errors.map(e, caller);
        ApiError a = mapped.orElseGet(() -> new ApiError(500, "HTTPInternalServerError",
                "the server failed to handle the request (" + requestId + "); the operator's log has the details"));
        if (mapped.isEmpty()) {
            LOG.error("{} {} {}: unexpected failure", requestId, exchange.method(), exchange.rawPath(), e);
        } else if (a.status() >= 500) {
            LOG.warn("{} {} {}: {} {}", requestId, exchange.method(), exchange.rawPath(), a.status(), a.getMessage(), e);
        } else {
            LOG.debug("{} {} {}: {} {}", requestId, exchange.method(), exchange.rawPath(), a.status(), a.getMessage());
        }
        return errorResponse(a);
    }

    /** Neutron's error body for an error. */
    static Response errorResponse(ApiError a) {
        ObjectNode body = Json.object();
        body.putObject("NeutronError").put("type", a.type()).put("message", a.getMessage()).put("detail", "");
        return new Response(a.status(), Optional.of(body), a.headers());
    }

    // ------------------------------------------------------------------------------- routing

    /**
     * Returns the route template a raw path matches, for request metrics: {@code /v2.0/lb/pools/{id}},
     * {@code /v2.0/lb/pools/{id}/health_monitors/{monitor_id}} ...; {@code UNMATCHED} for any path the API
     * does not serve, so that no id or arbitrary client text becomes a tag value.
     */
    String route(String rawPath) {
        List<String> p;
        try {
            p = segments(rawPath);
        } catch (ApiError e) {
            return "UNMATCHED";
        }
        int n = p.size();
        if (n == 0) {
            return "/";
        }
        if (!p.get(0).equals(VERSION)) {
            return "UNMATCHED";
        }
        if (n == 1) {
            return "/" + VERSION;
        }
        String top = p.get(1);
        if ((top.equals("extensions") || top.equals("subnets")) && n <= 3) {
            return "/" + VERSION + "/" + top + (n == 3 ? (top.equals("extensions") ? "/{alias}" : "/{id}") : "");
        }
        if (!top.equals("lb") || n < 3 || resources.byPlural(p.get(2)).isEmpty()) {
            return "UNMATCHED";
        }
        String collection = "/" + VERSION + "/lb/" + p.get(2);
        boolean pools = p.get(2).equals("pools");
        return switch (n) {
            case 3 -> collection;
            case 4 -> collection + "/{id}";
            case 5 -> pools && (p.get(4).equals("stats") || p.get(4).equals("health_monitors"))
                    ? collection + "/{id}/" + p.get(4) : "UNMATCHED";
            case 6 -> pools && p.get(4).equals("health_monitors") ? collection + "/{id}/health_monitors/{monitor_id}"
                    : "UNMATCHED";
            default -> "UNMATCHED";
        };
    }

    private Response dispatch(Exchange exchange, AtomicReference<Caller> authenticated) {
        List<String> path = segments(exchange.rawPath());
        Call call = new Call(exchange, exchange.method(), path, Query.parse(exchange.rawQuery()), baseUrl(exchange));
        if (path.isEmpty()) {
            allow(call, "GET");
            return Response.ok(versions(call));
        }
        Caller caller = authenticate(exchange);
        authenticated.set(caller);
        if (!path.get(0).equals(VERSION)) {
            throw unknownPath(call);
        }
        int n = path.size();
        if (n == 1) {
            allow(call, "GET");
            return Response.ok(resourcesDocument(call));
        }
        String top = path.get(1);
        if (top.equals("extensions") && n <= 3) {
            allow(call, "GET");
            return Response.ok(n == 2 ? extensions() : extension(call.segment(2)));
        }
        if (top.equals("subnets") && n <= 3) {
            allow(call, "GET");
            return Response.ok(n == 2 ? subnetList(call) : subnet(call));
        }
        if (top.equals("lb") && n >= 3) {
            Optional<Resource<?>> resource = resources.byPlural(call.segment(2));
            if (resource.isPresent()) {
                return lb(call, caller, resource.get());
            }
        }
        throw unknownPath(call);
    }

    private Response lb(Call call, Caller caller, Resource<?> resource) {
        int n = call.path().size();
        if (n == 3) {
            allow(call, "GET", "POST");
            return call.method().equals("GET") ? list(call, caller, resource) : create(call, caller, resource);
        }
        if (n == 4) {
            allow(call, "GET", "PUT", "DELETE");
            return switch (call.method()) {
                case "GET" -> show(call, caller, resource);
                case "PUT" -> update(call, caller, resource);
                default -> delete(call, caller, resource);
            };
        }
        if (resource == resources.pools && n == 5 && call.segment(4).equals("stats")) {
            allow(call, "GET");
            return stats(call, caller);
        }
        if (resource == resources.pools && n == 5 && call.segment(4).equals("health_monitors")) {
            allow(call, "POST");
            return associate(call, caller);
        }
        if (resource == resources.pools && n == 6 && call.segment(4).equals("health_monitors")) {
            allow(call, "DELETE");
            return disassociate(call, caller);
        }
        throw unknownPath(call);
    }

    private static void allow(Call call, String... methods) {
        for (String m : methods) {
            if (m.equals(call.method())) {
                return;
            }
        }
        throw new ApiError(405, "HTTPMethodNotAllowed", call.method() + " is not allowed on " + String.join("/", call.path())
                + "; allowed: " + String.join(", ", methods), Map.of("Allow", String.join(", ", methods)), null);
    }

    private static ApiError unknownPath(Call call) {
        return ApiError.notFound("the resource could not be found: /" + String.join("/", call.path()));
    }

    private Caller authenticate(Exchange exchange) {
        String token = exchange.header("X-Auth-Token").orElse(null);
        if (token == null || token.isBlank()) {
            throw new ApiError(401, "HTTPUnauthorized", "authentication required: send a token in the X-Auth-Token header");
        }
        Optional<Caller> caller;
        try {
            caller = authenticator.authenticate(token.strip());
        } catch (RuntimeException e) {
            LOG.warn("the authenticator failed", e);
            throw new ApiError(503, "HTTPServiceUnavailable", "the token could not be checked; try again later");
        }
        return caller.orElseThrow(() -> new ApiError(401, "HTTPUnauthorized", "the token is not valid"));
    }

    /**
     * Splits a raw path into decoded segments, ignoring empty ones (so a trailing slash does not
     * matter) and removing a {@code .json} suffix from the last one, which older clients append.
     */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String raw : (rawPath == null ? "" : rawPath).split("/")) {
            if (!raw.isEmpty()) {
                try {
                    out.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("the path is not correctly percent-encoded: " + raw);
                }
            }
        }
        if (!out.isEmpty()) {
            String last = out.get(out.size() - 1);
            if (last.endsWith(".json") && last.length() > ".json".length()) {
                out.set(out.size() - 1, last.substring(0, last.length() - ".json".length()));
            }
        }
        return out;
    }

    private static String baseUrl(Exchange exchange) {
        String host = exchange.header("Host").orElse(null);
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
            var local = exchange.localAddress();
            String a = local.getAddress().getHostAddress();
            host = (a.contains(":") ? "[" + a + "]" : a) + ":" + local.getPort();
        }
        return "http://" + host;
    }

    // ------------------------------------------------------------------------------- the collections

    private <T> Response list(Call call, Caller caller, Resource<T> r) {
        ArrayNode all = r.writeAll(r.list(caller));
        return Response.ok(Listing.apply(r.plural, r.attributes, all, call.query(),
                call.baseUrl() + "/" + VERSION + "/lb/" + r.plural));
    }

    private <T> Response show(Call call, Caller caller, Resource<T> r) {
        List<String> fields = Listing.fields(call.query(), r.singular, r.attributes);
        T object = r.visible(call.segment(3), caller);
        return Response.ok(wrap(r.singular, Listing.project(r.write(object), fields)));
    }

    private <T> Response create(Call call, Caller caller, Resource<T> r) {
        String body = Bodies.read(call.exchange(), maxBodyBytes);
        T created = r.create(body, caller);
        return Response.created(wrap(r.singular, r.write(created)));
    }

    private <T> Response update(Call call, Caller caller, Resource<T> r) {
        T current = r.visible(call.segment(3), caller);
        String body = Bodies.read(call.exchange(), maxBodyBytes);
        T updated = r.update(current, body, caller);
        return Response.ok(wrap(r.singular, r.write(updated)));
    }

    private <T> Response delete(Call call, Caller caller, Resource<T> r) {
        T current = r.visible(call.segment(3), caller);
        r.delete(current);
        return Response.noContent();
    }

    private Response stats(Call call, Caller caller) {
        List<String> fields = Listing.fields(call.query(), "stats", Resources.STATS_ATTRIBUTES);
        PoolView pool = resources.pools.visible(call.segment(3), caller);
        ObjectNode stats = WireShape.STATS.node(service.stats(pool.id()));
        return Response.ok(wrap("stats", Listing.project(stats, fields)));
    }

    /**
     * {@code POST /lb/pools/{id}/health_monitors} with {@code {"health_monitor": {"id": ...}}}:
     * answers 201 {@code {"health_monitor": {}}}, as Neutron did. v1's plugin returned
     * {@code {"health_monitor": [ids of the pool's monitors]}}, but Neutron's API layer
     * ({@code Controller._view}) kept only the attributes its resource map declares visible for the
     * {@code health_monitors} sub-resource ({@code id}, {@code tenant_id}), and the plugin's answer
     * had neither, so clients (the neutron client, openstack4j's {@code associateHealthMonitor})
     * always received an empty object.
     */
    private Response associate(Call call, Caller caller) {
        PoolView pool = resources.pools.visible(call.segment(3), caller);
        String body = Bodies.read(call.exchange(), maxBodyBytes);
        UUID monitorId = AssociationBody.read(body, caller);
        HealthMonitor monitor = resources.monitors.visible(monitorId.toString(), caller).monitor();
        service.associate(pool.id(), monitor.id());
        ObjectNode out = Json.object();
        out.putObject("health_monitor");
        return Response.created(out);
    }

    private Response disassociate(Call call, Caller caller) {
        PoolView pool = resources.pools.visible(call.segment(3), caller);
        String raw = call.segment(5);
        UUID monitorId = Resource.id(raw).orElseThrow(() ->
                new NotFoundException(ObjectKind.ASSOCIATION, pool.id() + "/" + raw,
                        "health monitor " + raw + " is not associated with pool " + pool.id()));
        service.disassociate(pool.id(), monitorId);
        return Response.noContent();
    }

    // ------------------------------------------------------------------------------- subnets

    private JsonNode subnetList(Call call) {
        ArrayNode all = WireShape.SUBNET.nodes(subnets.list());
        return Listing.apply("subnets", SUBNET_ATTRIBUTES, all, call.query(), call.baseUrl() + "/" + VERSION + "/subnets");
    }

    private JsonNode subnet(Call call) {
        List<String> fields = Listing.fields(call.query(), "subnet", SUBNET_ATTRIBUTES);
        String raw = call.segment(2);
        Subnet s = Resource.id(raw).flatMap(subnets::subnet)
                .orElseThrow(() -> new NotFoundException(ObjectKind.SUBNET, raw));
        ObjectNode node = WireShape.SUBNET.node(s);
        return wrap("subnet", Listing.project(node, fields));
    }

    // ------------------------------------------------------------------------------- discovery

    private static JsonNode versions(Call call) {
        ObjectNode out = Json.object();
        ObjectNode v = out.putArray("versions").addObject();
        v.put("id", VERSION).put("status", "CURRENT");
        v.putArray("links").addObject().put("href", call.baseUrl() + "/" + VERSION + "/").put("rel", "self");
        return out;
    }

    private static JsonNode resourcesDocument(Call call) {
        Map<String, String> collections = new LinkedHashMap<>();
        collections.put("subnet", "subnets");
        collections.put("vip", "lb/vips");
        collections.put("pool", "lb/pools");
        collections.put("member", "lb/members");
        collections.put("health_monitor", "lb/health_monitors");
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("resources");
        collections.forEach((name, path) -> {
            ObjectNode r = list.addObject();
            r.putArray("links").addObject().put("href", call.baseUrl() + "/" + VERSION + "/" + path).put("rel", "self");
            r.put("name", name).put("collection", path.substring(path.lastIndexOf('/') + 1));
        });
        return out;
    }

    private static ObjectNode lbaasExtension() {
        ObjectNode e = Json.object();
        e.put("alias", "lbaas");
        e.put("name", "LoadBalancing service");
        e.put("description", "Extension for LoadBalancing service");
        e.put("namespace", "http://wiki.openstack.org/neutron/LBaaS/API_1.0");
        e.put("updated", "2012-10-07T10:00:00-00:00");
        e.putArray("links");
        return e;
    }

    private static JsonNode extensions() {
        ObjectNode out = Json.object();
        out.putArray("extensions").add(lbaasExtension());
        return out;
    }

    private static JsonNode extension(String alias) {
        if (!alias.equals("lbaas")) {
            throw ApiError.notFound("extension " + alias + " does not exist; this server has: lbaas");
        }
        return wrap("extension", lbaasExtension());
    }

    private static ObjectNode wrap(String key, JsonNode value) {
        ObjectNode out = Json.object();
        out.set(key, value);
        return out;
    }
}
