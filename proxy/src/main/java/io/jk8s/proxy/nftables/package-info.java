/**
 * The proxy's nftables mode: table {@code ip jk8s-proxy} in the layout of kube-proxy's nftables mode
 * ({@link io.jk8s.proxy.nftables.NftRuleBuilder}), kept in step with one {@code nft -f -} transaction of only the
 * changes per sync ({@link io.jk8s.proxy.nftables.NftTransaction}, {@link io.jk8s.proxy.nftables.NftablesBackend}).
 */
package io.jk8s.proxy.nftables;
