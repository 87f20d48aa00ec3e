package io.jk8s.apiserver;

import io.jk8s.apiserver.proxy.KubeletClientTls;
import io.jk8s.apiserver.storage.ServiceNetwork;

import java.nio.file.Path;

/**
 * How to serve the API.
 *
 * @param bindAddress      e.g. "0.0.0.0" or "127.0.0.1"
 * @param port             6443 by default; 0 picks a free port ({@link ApiServer#port()} tells which)
 * @param tlsCertFile      PEM server certificate (chain); null = plain HTTP, for tests only
 * @param tlsKeyFile       PEM private key of the server certificate
 * @param clientCaFile     PEM CA bundle that signs client certificates (CN = user, O = groups); null = no client certs
 * @param serviceNetwork   where Services get cluster IPs and node ports from
 * @param advertiseAddress the address other machines reach this server on, published as the endpoint of the
 *                         {@code kubernetes} Service; null = publish none
 * @param kubeletClient    how to authenticate to kubelets for pods/log, exec, attach, portforward; null = those answer 503
 */
public record ApiServerConfig(String bindAddress, int port, Path tlsCertFile, Path tlsKeyFile, Path clientCaFile,
                              ServiceNetwork serviceNetwork, String advertiseAddress, KubeletClientTls kubeletClient) {

    /** No kubelet client credentials. */
    public ApiServerConfig(String bindAddress, int port, Path tlsCertFile, Path tlsKeyFile, Path clientCaFile,
                           ServiceNetwork serviceNetwork, String advertiseAddress) {
        this(bindAddress, port, tlsCertFile, tlsKeyFile, clientCaFile, serviceNetwork, advertiseAddress, null);
    }

    /** The same configuration with kubelet client credentials. */
    public ApiServerConfig withKubeletClient(KubeletClientTls tls) {
        return new ApiServerConfig(bindAddress, port, tlsCertFile, tlsKeyFile, clientCaFile, serviceNetwork, advertiseAddress, tls);
    }

    public ApiServerConfig {
        if (serviceNetwork == null) serviceNetwork = ServiceNetwork.DEFAULT;
    }

    /** The default service network, no advertised endpoint. */
    public ApiServerConfig(String bindAddress, int port, Path tlsCertFile, Path tlsKeyFile, Path clientCaFile) {
        this(bindAddress, port, tlsCertFile, tlsKeyFile, clientCaFile, ServiceNetwork.DEFAULT, null);
    }
}
