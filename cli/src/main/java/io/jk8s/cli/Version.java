package io.jk8s.cli;

import picocli.CommandLine.IVersionProvider;

/** Versions printed by {@code jk8s --version}. */
public final class Version implements IVersionProvider {

    public static final String JK8S = "0.1.0";
    /** The Kubernetes API version the server implements and reports at /version. */
    public static final String KUBERNETES = "v1.32.0";

    @Override
    public String[] getVersion() {
        return new String[] {"jk8s version v" + JK8S + " (Kubernetes " + KUBERNETES + ")",
                "java " + Runtime.version()};
    }
}
