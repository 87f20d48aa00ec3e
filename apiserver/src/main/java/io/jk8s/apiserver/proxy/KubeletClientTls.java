package io.jk8s.apiserver.proxy;

import java.nio.file.Path;

/**
 * How the API server authenticates to kubelets (kube-apiserver's {@code --kubelet-client-certificate},
 * {@code --kubelet-client-key}, {@code --kubelet-certificate-authority}).
 *
 * @param clientCert PEM client certificate (chain) signed by the CA the kubelets trust
 * @param clientKey  PEM private key of {@code clientCert}
 * @param kubeletCa  PEM CA that signs kubelet serving certificates; null = do not verify them (upstream's default)
 */
public record KubeletClientTls(Path clientCert, Path clientKey, Path kubeletCa) {

    public KubeletClientTls {
        if (clientCert == null || clientKey == null) {
            throw new IllegalArgumentException("a kubelet client certificate and key are required");
        }
    }
}
