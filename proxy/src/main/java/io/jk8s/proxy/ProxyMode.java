package io.jk8s.proxy;

import io.jk8s.proxy.nftables.CommandNft;
import io.jk8s.proxy.nftables.NftablesBackend;

import java.util.Locale;

/** How Services are programmed: kube-proxy's {@code --proxy-mode}. */
public enum ProxyMode {
    /** {@code iptables-restore --noflush} of the changed per-service chains ({@link IptablesBackend}). */
    IPTABLES,
    /** One {@code nft -f -} transaction of the changed map elements and chains in table {@code ip jk8s-proxy}. */
    NFTABLES;

    /** The mode when none is given. */
    public static final ProxyMode DEFAULT = NFTABLES;

    /** {@code iptables} or {@code nftables} (any case). */
    public static ProxyMode parse(String value) {
        for (ProxyMode mode : values()) {
            if (mode.flagValue().equalsIgnoreCase(value.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown proxy mode \"" + value + "\": expected iptables or nftables");
    }

    /** The value of {@code --proxy-mode}. */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The backend that programs {@code cfg}'s node (its network namespace, if any) in this mode. */
    public ProxyBackend backend(ProxyConfig cfg) {
        return switch (this) {
            case IPTABLES -> new IptablesBackend(new CommandIptables(cfg), new RuleBuilder(cfg));
            case NFTABLES -> new NftablesBackend(new CommandNft(cfg.netns()), cfg);
        };
    }
}
