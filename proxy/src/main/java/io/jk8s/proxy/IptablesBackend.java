package io.jk8s.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The iptables mode: rules in kube-proxy's iptables layout ({@link RuleBuilder}) applied with one
 * {@code iptables-restore --noflush} per sync.
 *
 * <p>Syncs are partial, as in kube-proxy: only the per-service chains of service ports that changed since the
 * last applied state are written ({@link RuleBuilder#plan}), and the nat chain list comes from the last plan
 * instead of an {@code iptables-save}. A verifying sync re-reads the chain list (rewriting any port whose
 * chain went missing) and re-checks the jumps from the built-in chains; every chain is rewritten on the first
 * sync, after a failure and every {@link ServiceProxy#FULL_REWRITE_INTERVAL}.
 */
public final class IptablesBackend implements ProxyBackend {

    private static final Logger log = LoggerFactory.getLogger(IptablesBackend.class);

    private final Iptables iptables;
    private final RuleBuilder rules;
    // What the kernel holds after the last successful restore.
    private Map<String, ServicePortInfo> applied = Map.of();
    private Set<String> natChains;
    private Map<String, List<String>> baseChains = Map.of();
    private long lastRewriteAll;

    public IptablesBackend(Iptables iptables, RuleBuilder rules) {
        this.iptables = iptables;
        this.rules = rules;
    }

    @Override
    public void sync(List<ServicePortInfo> ports, boolean ensureJumps) throws Iptables.IptablesException {
        long started = System.nanoTime();
        Map<String, ServicePortInfo> current = new HashMap<>();
        ports.forEach(sp -> current.put(UdpFlushes.key(sp), sp));
        boolean rewriteAll = natChains == null || started - lastRewriteAll >= ServiceProxy.FULL_REWRITE_INTERVAL.toNanos();
        // The periodic sync re-reads the chain list so that a chain deleted behind our back is written again.
        Set<String> existing = rewriteAll || ensureJumps ? iptables.chains("nat") : natChains;
        Map<String, ServicePortInfo> before = applied;
        RuleBuilder.Plan plan = rules.plan(ports, existing,
                sp -> rewriteAll || !Objects.equals(before.get(UdpFlushes.key(sp)), sp),
                rewriteAll || ensureJumps ? Map.of() : baseChains);
        iptables.restore(plan.input());
        natChains = plan.natChains();
        baseChains = plan.baseChains();
        applied = current;
        if (rewriteAll) lastRewriteAll = started;
        if (ensureJumps) {
            for (JumpRules jump : JumpRules.ALL) {
                iptables.ensureRule(jump.table(), jump.chain(), jump.rule());
            }
        }
        log.debug("iptables rules synced in {} ms ({}, {} bytes)", (System.nanoTime() - started) / 1_000_000,
                rewriteAll ? "all chains" : "changed chains", plan.input().length());
    }

    @Override
    public void forget() {
        natChains = null;
    }

    @Override
    public void cleanup() throws Iptables.IptablesException {
        cleanup(iptables);
    }

    /** Removes every jump, chain and rule of the iptables mode. */
    static void cleanup(Iptables iptables) throws Iptables.IptablesException {
        for (JumpRules jump : JumpRules.ALL) {
            iptables.deleteRule(jump.table(), jump.chain(), jump.rule());
        }
        iptables.restore(RuleBuilder.cleanup(iptables.chains("filter"), iptables.chains("nat")));
    }
}
