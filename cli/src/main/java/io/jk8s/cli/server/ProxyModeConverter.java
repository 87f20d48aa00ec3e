package io.jk8s.cli.server;

import io.jk8s.proxy.ProxyMode;
import picocli.CommandLine.ITypeConverter;

/** {@code --proxy-mode iptables|nftables}, any case; the error names the accepted values. */
public final class ProxyModeConverter implements ITypeConverter<ProxyMode> {

    /** Picocli default of every {@code --proxy-mode}: $JK8S_PROXY_MODE, else nftables. */
    public static final String DEFAULT = "${env:JK8S_PROXY_MODE:-nftables}";

    @Override
    public ProxyMode convert(String value) {
        try {
            return ProxyMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
