package org.lbaas.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lbaas.model.Cidr;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/** The durable store: exact round trips, atomic replacement, strict reading. */
class FileRepositoryTest {

    @TempDir
    Path dir;

    static final Subnet POOL_SUBNET = Subnet.of(UUID.randomUUID(), "192.0.2.0/24", null);
    static final Subnet VIP_SUBNET = new Subnet(UUID.randomUUID(), "public", Cidr.parse("2001:db8:1::/64"),
            IpAddresses.parse("2001:db8:1::1"));

    static StoredLoadBalancer rich() {
        UUID poolId = UUID.randomUUID();
        Pool pool = Pool.builder().id(poolId).tenantId("t1").name("web \"pool\"").description("ünïcode, \\ and /")
                .subnetId(POOL_SUBNET.id()).protocol(Protocol.HTTP).lbMethod(LbMethod.SOURCE_IP).provider("haproxy-ns")
                .adminStateUp(false).status(Status.ERROR).statusDescription("it broke").build();
        Vip vip = Vip.builder().id(UUID.randomUUID()).tenantId("t1").name("v").subnetId(VIP_SUBNET.id())
                .address("2001:db8:1::5").portId(UUID.randomUUID()).protocolPort(443).protocol(Protocol.HTTP).poolId(poolId)
                .sessionPersistence(SessionPersistence.appCookie("JSESSIONID")).connectionLimit(1000)
                .status(Status.PENDING_UPDATE).build();
        Member m1 = Member.builder().id(UUID.randomUUID()).tenantId("t1").poolId(poolId).address("192.0.2.10")
                .protocolPort(8080).weight(0).status(Status.ACTIVE).build();
        Member m2 = Member.builder().id(UUID.randomUUID()).tenantId("t1").poolId(poolId).address("2001:db8::7")
                .protocolPort(80).adminStateUp(false).status(Status.DISABLED).build();
        PoolMonitorAssociation a = new PoolMonitorAssociation(poolId, UUID.randomUUID(), Status.ACTIVE, "");
        return new StoredLoadBalancer(42, pool, POOL_SUBNET, Optional.of(vip), Optional.of(VIP_SUBNET), List.of(m1, m2),
                List.of(a));
    }

    @Test
    @DisplayName("a load balancer and monitors read back exactly as written")
    void roundTrip() {
        Repository repo = Repository.fileStore(dir);
        StoredLoadBalancer lb = rich();
        StoredLoadBalancer bare = new StoredLoadBalancer(1, Pool.builder().id(UUID.randomUUID()).tenantId("t2")
                .subnetId(POOL_SUBNET.id()).protocol(Protocol.TCP).build(), POOL_SUBNET, Optional.empty(), Optional.empty(),
                List.of(), List.of());
        HealthMonitor http = HealthMonitor.builder().id(UUID.randomUUID()).tenantId("t1").type(MonitorType.HTTPS).delay(9)
                .timeout(4).maxRetries(10).httpCheck(new HttpCheck(HttpMethod.HEAD, "/status?x=1", new ExpectedCodes("200-204")))
                .adminStateUp(false).build();
        HealthMonitor tcp = HealthMonitor.builder().id(UUID.randomUUID()).tenantId("t1").type(MonitorType.TCP).build();
        repo.save(lb);
        repo.save(bare);
        repo.save(http);
        repo.save(tcp);
        Repository.Contents c = Repository.fileStore(dir).load();
        assertEquals(Set.of(lb, bare), Set.copyOf(c.loadBalancers()));
        assertEquals(Set.of(http, tcp), Set.copyOf(c.healthMonitors()));
    }

    @Test
    @DisplayName("a save replaces the document; a delete removes it; deleting twice is fine")
    void replaceAndDelete() {
        Repository repo = Repository.fileStore(dir);
        StoredLoadBalancer lb = rich();
        repo.save(lb);
        StoredLoadBalancer newer = new StoredLoadBalancer(43, lb.pool().withStatus(Status.ACTIVE, ""), lb.poolSubnet(),
                Optional.empty(), Optional.empty(), List.of(), List.of());
        repo.save(newer);
        assertEquals(List.of(newer), repo.load().loadBalancers());
        repo.deleteLoadBalancer(lb.id());
        repo.deleteLoadBalancer(lb.id());
        assertEquals(List.of(), repo.load().loadBalancers());
    }

    @Test
    @DisplayName("documents are named by id and readable only by their owner")
    void fileNames() throws IOException {
        FileRepository repo = new FileRepository(dir, () -> { });
        StoredLoadBalancer lb = rich();
        repo.save(lb);
        Path doc = repo.documentOf("pool-", lb.id());
        assertTrue(Files.exists(doc));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(doc));
        String json = Files.readString(doc);
        assertTrue(json.contains("\"session_persistence\""), json);
        assertTrue(json.contains("\"cookie_name\" : \"JSESSIONID\""), json);
    }

    @Test
    @DisplayName("a corrupt document fails the load, naming the file and the field")
    void corrupt() throws IOException {
        Repository repo = Repository.fileStore(dir);
        StoredLoadBalancer lb = rich();
        repo.save(lb);
        Path doc = dir.resolve("pool-" + lb.id() + ".json");
        Files.writeString(doc, Files.readString(doc).replace("\"SOURCE_IP\"", "\"RANDOM\""));
        StorageException e = assertThrows(StorageException.class, repo::load);
        assertEquals(lb.id().toString(), e.id());
        assertTrue(e.getMessage().contains(doc.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("lb_method"), e.getMessage());
    }

    @Test
    @DisplayName("a document of another format version is refused")
    void format() throws IOException {
        UUID id = UUID.randomUUID();
        Files.writeString(dir.resolve("health-monitor-" + id + ".json"), "{\"format\": 4, \"health_monitor\": {}}");
        StorageException e = assertThrows(StorageException.class, () -> Repository.fileStore(dir).load());
        assertEquals(ObjectKind.HEALTH_MONITOR, e.kind());
        assertTrue(e.getMessage().contains("format"), e.getMessage());
    }

    private static StoredLoadBalancer withInstanceAddresses(StoredLoadBalancer s, String... literals) {
        return new StoredLoadBalancer(s.revision(), s.pool(), s.poolSubnet(), s.vip(), s.vipSubnet(), s.members(),
                s.associations(), java.util.Arrays.stream(literals).map(a -> IpAddresses.parse(a, "test")).toList());
    }

    @Test
    @DisplayName("instance addresses read back in order; a VIP without them is written with an empty list")
    void instanceAddressesRoundTrip() throws IOException {
        Repository repo = Repository.fileStore(dir);
        StoredLoadBalancer two = withInstanceAddresses(rich(), "2001:db8:1::7", "2001:db8:1::6");
        StoredLoadBalancer none = rich();
        repo.save(two);
        repo.save(none);
        List<StoredLoadBalancer> loaded = repo.load().loadBalancers();
        assertTrue(loaded.contains(two) && loaded.contains(none), loaded.toString());
        assertTrue(Files.readString(dir.resolve("pool-" + none.id() + ".json")).contains("\"instance_addresses\" : [ ]"));
    }

    @Test
    @DisplayName("instance addresses are refused without a VIP, in a format-2 document, and when not IP literals")
    void instanceAddressesReadStrictly() throws IOException {
        Repository repo = Repository.fileStore(dir);
        StoredLoadBalancer lb = withInstanceAddresses(rich(), "2001:db8:1::6");
        repo.save(lb);
        Path doc = dir.resolve("pool-" + lb.id() + ".json");
        String good = Files.readString(doc);

        Files.writeString(doc, good.replace("\"2001:db8:1::6\"", "\"host.example\""));
        StorageException bad = assertThrows(StorageException.class, repo::load);
        assertTrue(bad.getMessage().contains("instance_addresses[0]") && bad.getMessage().contains("host.example"),
                bad.getMessage());

        Files.writeString(doc, good.replace("\"format\" : 3", "\"format\" : 2"));
        StorageException old = assertThrows(StorageException.class, repo::load);
        assertTrue(old.getMessage().contains("instance_addresses"), old.getMessage());

        StoredLoadBalancer noVip = new StoredLoadBalancer(1, lb.pool().toBuilder().build(), lb.poolSubnet(),
                Optional.empty(), Optional.empty(), List.of(), List.of());
        repo.save(noVip);
        Files.writeString(doc, Files.readString(doc).replace("\"members\" : [", "\"instance_addresses\" : [ \"192.0.2.9\" ],\n  \"members\" : ["));
        StorageException orphan = assertThrows(StorageException.class, repo::load);
        assertTrue(orphan.getMessage().contains("instance_addresses") && orphan.getMessage().contains("must be absent when the "
                + "document has no vip"), orphan.getMessage());
    }

    @Test
    @DisplayName("files that are not store documents are left alone")
    void foreignFiles() throws IOException {
        Files.writeString(dir.resolve("README"), "not ours");
        assertEquals(List.of(), Repository.fileStore(dir).load().loadBalancers());
        assertTrue(Files.exists(dir.resolve("README")));
        assertFalse(Files.exists(dir.resolve("pool-x.json")));
    }

    @Test
    @DisplayName("the in-memory repository keeps what it is given")
    void inMemory() {
        Repository repo = Repository.inMemory();
        StoredLoadBalancer lb = rich();
        repo.save(lb);
        assertEquals(List.of(lb), repo.load().loadBalancers());
        repo.deleteLoadBalancer(lb.id());
        assertEquals(List.of(), repo.load().loadBalancers());
    }

    @Test
    @DisplayName("a stored load balancer refuses parts that belong elsewhere")
    void storedInvariants() {
        StoredLoadBalancer lb = rich();
        assertThrows(IllegalArgumentException.class, () -> new StoredLoadBalancer(1, lb.pool(), lb.poolSubnet(), lb.vip(),
                Optional.empty(), lb.members(), lb.associations()));
        StoredLoadBalancer bare = new StoredLoadBalancer(1, lb.pool(), lb.poolSubnet(), Optional.empty(), Optional.empty(),
                List.of(), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withInstanceAddresses(bare,
                "192.0.2.9"));
        assertTrue(e.getMessage().contains("instance addresses are allocated with a VIP"), e.getMessage());
        Member foreign = lb.members().get(0).toBuilder().poolId(UUID.randomUUID()).build();
        assertThrows(IllegalArgumentException.class, () -> new StoredLoadBalancer(1, lb.pool(), lb.poolSubnet(), lb.vip(),
                lb.vipSubnet(), List.of(foreign), lb.associations()));
    }
}
