package io.jk8s.proxy.nftables;

import io.jk8s.proxy.ProxyBackend;
import io.jk8s.proxy.ProxyConfig;
import io.jk8s.proxy.ServicePortInfo;
import io.jk8s.proxy.ServiceProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.jk8s.proxy.nftables.NftNames.FAMILY;
import static io.jk8s.proxy.nftables.NftNames.TABLE;

/**
 * The nftables mode: every sync is one {@code nft -f -} transaction holding only the differences between what was
 * applied last and what the Services ask for now ({@link NftTransaction}), so its cost grows with the number of
 * changed Services, not with the size of the table — nft does not re-read or re-write the table as
 * {@code iptables-restore} does.
 *
 * <p>A rebuild (delete and re-create the table in one transaction, so there is no moment without rules) happens on
 * the first sync, after a failed sync (what the kernel holds is then unknown), when a verifying sync finds the
 * table's chains differ from what we wrote (someone changed our table), and every
 * {@link ServiceProxy#FULL_REWRITE_INTERVAL}. A rebuild empties the affinity sets: clients then pick an endpoint
 * afresh once (established connections keep theirs through conntrack).
 */
public final class NftablesBackend implements ProxyBackend {

    private static final Logger log = LoggerFactory.getLogger(NftablesBackend.class);

    private final Nft nft;
    private final NftRuleBuilder rules;
    // What the kernel holds after the last successful transaction, per service port; null = unknown.
    private Map<String, PortRules> applied;
    private Map<ServicePortInfo, PortRules> cache = Map.of();
    private long lastRebuild;

    public NftablesBackend(Nft nft, ProxyConfig cfg) {
        this(nft, new NftRuleBuilder(cfg));
    }

    NftablesBackend(Nft nft, NftRuleBuilder rules) {
        this.nft = nft;
        this.rules = rules;
    }

    @Override
    public void sync(List<ServicePortInfo> ports, boolean verify) throws Nft.NftException {
        long started = System.nanoTime();
        Map<String, PortRules> wanted = wanted(ports);
        boolean rebuild = applied == null || started - lastRebuild >= ServiceProxy.FULL_REWRITE_INTERVAL.toNanos()
                || (verify && !nft.chains(FAMILY, TABLE).equals(chains(applied)));
        String script = rebuild ? rebuildScript(wanted) : NftTransaction.diff(applied, wanted);
        if (!script.isEmpty()) {
            nft.apply(script);
        }
        applied = wanted;
        if (rebuild) {
            lastRebuild = started;
        }
        log.debug("nftables synced in {} ms ({}, {} bytes)", (System.nanoTime() - started) / 1_000_000,
                rebuild ? "table rebuilt" : "changes only", script.length());
    }

    /** Per service port key, what it owns; a map element claimed by two ports goes to the first (sorted) one. */
    private Map<String, PortRules> wanted(List<ServicePortInfo> ports) {
        Map<String, PortRules> out = new LinkedHashMap<>();
        Map<ServicePortInfo, PortRules> nextCache = new HashMap<>();
        Set<String> claimed = new HashSet<>();
        for (ServicePortInfo sp : ports) {
            PortRules own = cache.get(sp);
            if (own == null) {
                own = rules.forPort(sp);
            }
            nextCache.put(sp, own);
            List<PortRules.Element> kept = own.elements().stream().filter(e -> claimed.add(e.id())).toList();
            if (kept.size() != own.elements().size()) {
                log.warn("{}: {} of its addresses/ports are already used by another Service; not programmed for it",
                        sp.servicePortName(), own.elements().size() - kept.size());
                own = new PortRules(kept, own.chains(), own.affinitySets(), own.hairpinIps());
            }
            out.put(key(sp), own);
        }
        cache = nextCache;
        return out;
    }

    private String rebuildScript(Map<String, PortRules> wanted) {
        // "table … {}" first makes the delete succeed when the table does not exist.
        return "table " + FAMILY + " " + TABLE + " {}\n"
                + "delete table " + FAMILY + " " + TABLE + "\n"
                + rules.baseTable()
                + NftTransaction.diff(Map.of(), wanted);
    }

    /** Every chain the table holds once {@code state} is applied. */
    private Set<String> chains(Map<String, PortRules> state) {
        Set<String> out = new HashSet<>(NftRuleBuilder.BASE_CHAINS);
        state.values().forEach(r -> out.addAll(r.chains().keySet()));
        return out;
    }

    private static String key(ServicePortInfo sp) {
        return sp.servicePortName() + "/" + sp.protocol();
    }

    @Override
    public void forget() {
        applied = null;
    }

    @Override
    public void cleanup() throws Nft.NftException {
        cleanup(nft);
    }

    /** Deletes table {@code ip jk8s-proxy}, if there is one. */
    public static void cleanup(Nft nft) throws Nft.NftException {
        nft.apply("table " + FAMILY + " " + TABLE + " {}\ndelete table " + FAMILY + " " + TABLE + "\n");
    }
}
