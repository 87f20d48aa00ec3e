package io.jk8s.proxy;

import java.util.List;

/** The rules in built-in chains that lead into jk8s chains; kept outside the restore input so --noflush never duplicates them. */
record JumpRules(String table, String chain, List<String> rule) {

    static final List<JumpRules> ALL = List.of(
            new JumpRules("filter", "INPUT", List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment",
                    "kubernetes externally-visible service portals", "-j", ChainNames.EXTERNAL_SERVICES)),
            new JumpRules("filter", "FORWARD", List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment",
                    "kubernetes externally-visible service portals", "-j", ChainNames.EXTERNAL_SERVICES)),
            new JumpRules("filter", "FORWARD", List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment",
                    "kubernetes service portals", "-j", ChainNames.SERVICES)),
            new JumpRules("filter", "OUTPUT", List.of("-m", "conntrack", "--ctstate", "NEW", "-m", "comment", "--comment",
                    "kubernetes service portals", "-j", ChainNames.SERVICES)),
            new JumpRules("filter", "FORWARD", List.of("-m", "comment", "--comment", "kubernetes forwarding rules", "-j", ChainNames.FORWARD)),
            new JumpRules("nat", "PREROUTING", List.of("-m", "comment", "--comment", "kubernetes service portals", "-j", ChainNames.SERVICES)),
            new JumpRules("nat", "OUTPUT", List.of("-m", "comment", "--comment", "kubernetes service portals", "-j", ChainNames.SERVICES)),
            new JumpRules("nat", "POSTROUTING", List.of("-m", "comment", "--comment", "kubernetes postrouting rules", "-j", ChainNames.POSTROUTING)));
}
