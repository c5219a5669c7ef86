package org.lbaas.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;
import org.lbaas.model.Violations;

/**
 * A load balancer taken apart into the steps that build each part, so that one step can be
 * replaced by a broken one. {@link #assemble()} builds the parts the way an API layer does: each
 * under its Neutron path ({@code pool}, {@code vip}, {@code members[2]}, {@code health_monitors[0]},
 * {@code subnet}), going on after a part fails, and reports every violation at once with full paths.
 */
record Parts(Supplier<Subnet> subnet, Supplier<Pool> pool, Optional<Supplier<Vip>> vip, List<Supplier<Member>> members,
             List<Supplier<HealthMonitor>> monitors) {

    Parts {
        members = List.copyOf(members);
        monitors = List.copyOf(monitors);
    }

    static Parts of(LoadBalancer lb) {
        List<Supplier<Member>> members = new ArrayList<>();
        lb.members().forEach(m -> members.add(() -> m));
        List<Supplier<HealthMonitor>> monitors = new ArrayList<>();
        lb.healthMonitors().forEach(m -> monitors.add(() -> m));
        Optional<Supplier<Vip>> vip = lb.vip().map(v -> () -> v);
        return new Parts(lb::subnet, lb::pool, vip, members, monitors);
    }

    Parts withSubnet(Supplier<Subnet> newSubnet) {
        return new Parts(newSubnet, pool, vip, members, monitors);
    }

    Parts withPool(Supplier<Pool> newPool) {
        return new Parts(subnet, newPool, vip, members, monitors);
    }

    Parts withVip(Supplier<Vip> newVip) {
        return new Parts(subnet, pool, Optional.of(newVip), members, monitors);
    }

    Parts withMember(int index, Supplier<Member> member) {
        List<Supplier<Member>> copy = new ArrayList<>(members);
        copy.set(index, member);
        return new Parts(subnet, pool, vip, copy, monitors);
    }

    Parts withMonitor(int index, Supplier<HealthMonitor> monitor) {
        List<Supplier<HealthMonitor>> copy = new ArrayList<>(monitors);
        copy.set(index, monitor);
        return new Parts(subnet, pool, vip, members, copy);
    }

    /**
     * Builds every part and then the load balancer.
     *
     * @return the load balancer
     * @throws org.lbaas.model.ValidationException with every violation of the parts, or of the whole
     */
    LoadBalancer assemble() {
        Violations v = new Violations();
        Optional<Subnet> s = v.nested("subnet", subnet);
        Optional<Pool> p = v.nested("pool", pool);
        Optional<Optional<Vip>> theVip = vip.isEmpty()
                ? Optional.of(Optional.empty())
                : v.nested("vip", vip.get()).map(Optional::of);
        List<Member> builtMembers = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            v.nested("members[" + i + "]", members.get(i)).ifPresent(builtMembers::add);
        }
        List<HealthMonitor> builtMonitors = new ArrayList<>();
        for (int i = 0; i < monitors.size(); i++) {
            v.nested("health_monitors[" + i + "]", monitors.get(i)).ifPresent(builtMonitors::add);
        }
        v.throwIfAny();
        return new LoadBalancer(s.orElseThrow(), p.orElseThrow(), theVip.orElseThrow(), builtMembers, builtMonitors);
    }
}
