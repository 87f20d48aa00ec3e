package io.jk8s.proxy.nftables;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Records scripts instead of running nft; the chain list it reports and failures are set by the test. */
final class RecordingNft implements Nft {

    final List<String> scripts = new ArrayList<>();
    Set<String> chains = new TreeSet<>();
    boolean fail;

    @Override
    public void apply(String script) throws NftException {
        if (fail) throw new NftException("recorded failure");
        scripts.add(script);
    }

    @Override
    public Set<String> chains(String family, String table) {
        return chains;
    }

    String last() {
        return scripts.getLast();
    }
}
