package io.jk8s.proxy;

import java.util.List;
import java.util.Set;

/**
 * The iptables operations the proxy needs. Implementations run the real commands ({@link CommandIptables}) or
 * record them (tests). Called from the proxy's single sync thread only; every method is blocking.
 */
public interface Iptables {

    /** Applies restore input atomically per table, leaving chains it does not mention alone ({@code --noflush}). */
    void restore(String input) throws IptablesException;

    /** Names of the chains that exist now in {@code table}. */
    Set<String> chains(String table) throws IptablesException;

    /** Adds {@code rule} at the top of {@code chain} unless an identical rule is present; returns whether it added. */
    boolean ensureRule(String table, String chain, List<String> rule) throws IptablesException;

    /** Deletes {@code rule} from {@code chain} if present; returns whether it was. */
    boolean deleteRule(String table, String chain, List<String> rule) throws IptablesException;

    /** A failed iptables command, with its output. */
    final class IptablesException extends Exception {
        public IptablesException(String message) {
            super(message);
        }

        public IptablesException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
