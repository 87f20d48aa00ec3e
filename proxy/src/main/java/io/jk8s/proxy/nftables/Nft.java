package io.jk8s.proxy.nftables;

import java.util.Set;

/** The nft operations the nftables mode needs: the real command ({@link CommandNft}) or a recording (tests). */
public interface Nft {

    /** Applies an {@code nft -f} script as one transaction: all of it or nothing. */
    void apply(String script) throws NftException;

    /** Names of the chains in table {@code family name}; empty when the table does not exist. */
    Set<String> chains(String family, String table) throws NftException;

    /** A failed nft command, with its output. */
    final class NftException extends Exception {
        public NftException(String message) {
            super(message);
        }

        public NftException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
