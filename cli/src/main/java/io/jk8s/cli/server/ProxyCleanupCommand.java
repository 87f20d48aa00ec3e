package io.jk8s.cli.server;

import io.jk8s.proxy.CommandIptables;
import io.jk8s.proxy.ServiceProxy;
import io.jk8s.proxy.nftables.CommandNft;
import io.jk8s.proxy.nftables.NftablesBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code jk8s proxy --cleanup}: removes the Service rules of both proxy modes (iptables KUBE-* chains and nftables
 * table {@code ip jk8s-proxy}), as {@code kube-proxy --cleanup} does — for a node whose agent died without its
 * clean shutdown, or after switching {@code --proxy-mode}. The proxy itself runs inside {@code jk8s server} and
 * {@code jk8s agent}.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Service proxy maintenance (the proxy runs inside 'jk8s server' and 'jk8s agent').")
public final class ProxyCleanupCommand implements Callable<Integer> {

    @Option(names = "--cleanup", description = "Remove every Service rule jk8s programmed (iptables and nftables) and exit.")
    boolean cleanup;

    @Override
    public Integer call() throws Exception {
        if (!cleanup) {
            System.err.println("jk8s proxy: only --cleanup is supported; the proxy runs inside 'jk8s server' and 'jk8s agent' (see --proxy-mode)");
            return 2;
        }
        int failures = 0;
        try {
            ServiceProxy.cleanup(new CommandIptables("iptables", null));
        } catch (Exception e) {
            System.err.println("jk8s proxy: iptables cleanup failed: " + e.getMessage());
            failures++;
        }
        try {
            NftablesBackend.cleanup(new CommandNft(null));
        } catch (Exception e) {
            System.err.println("jk8s proxy: nftables cleanup failed: " + e.getMessage());
            failures++;
        }
        System.out.println(failures == 0 ? "jk8s proxy: Service rules removed" : "jk8s proxy: cleanup incomplete");
        return failures == 0 ? 0 : 1;
    }
}
