package org.lbaas.testkit;

import java.util.Optional;
import org.lbaas.model.Cidr;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * Rebuilds model objects through their canonical constructors, part by part, so that every rule is
 * checked again on values that were produced by a generator.
 */
final class Rebuild {

    private Rebuild() {
    }

    static LoadBalancer loadBalancer(LoadBalancer lb) {
        return new LoadBalancer(subnet(lb.subnet()), pool(lb.pool()), lb.vip().map(Rebuild::vip),
                lb.members().stream().map(Rebuild::member).toList(),
                lb.healthMonitors().stream().map(Rebuild::monitor).toList());
    }

    static Subnet subnet(Subnet s) {
        return new Subnet(s.id(), s.name(), new Cidr(s.cidr().network(), s.cidr().prefixLength()), s.gateway());
    }

    static Pool pool(Pool p) {
        return new Pool(p.id(), p.tenantId(), p.name(), p.description(), p.subnetId(), p.protocol(), p.lbMethod(),
                p.provider(), p.adminStateUp(), p.status(), p.statusDescription());
    }

    static Vip vip(Vip v) {
        return new Vip(v.id(), v.tenantId(), v.name(), v.description(), v.subnetId(), v.address(), v.portId(),
                v.protocolPort(), v.protocol(), v.poolId(), v.sessionPersistence().map(Rebuild::persistence),
                v.connectionLimit(), v.adminStateUp(), v.status(), v.statusDescription());
    }

    static SessionPersistence persistence(SessionPersistence sp) {
        return new SessionPersistence(sp.type(), sp.cookieName().map(String::new));
    }

    static Member member(Member m) {
        return new Member(m.id(), m.tenantId(), m.poolId(), m.address(), m.protocolPort(), m.weight(), m.adminStateUp(),
                m.status(), m.statusDescription());
    }

    static HealthMonitor monitor(HealthMonitor m) {
        Optional<HttpCheck> check = m.httpCheck().map(c -> new HttpCheck(c.method(), c.urlPath(),
                new ExpectedCodes(c.expectedCodes().spec())));
        return new HealthMonitor(m.id(), m.tenantId(), m.type(), m.delay(), m.timeout(), m.maxRetries(), check,
                m.adminStateUp());
    }
}
