package io.jk8s.apiserver;

import java.nio.file.Path;

/**
 * How to serve the API.
 *
 * @param bindAddress  e.g. "0.0.0.0" or "127.0.0.1"
 * @param port         6443 by default; 0 picks a free port ({@link ApiServer#port()} tells which)
 * @param tlsCertFile  PEM server certificate (chain); null = plain HTTP, for tests only
 * @param tlsKeyFile   PEM private key of the server certificate
 * @param clientCaFile PEM CA bundle that signs client certificates (CN = user, O = groups); null = no client certs
 */
public record ApiServerConfig(String bindAddress, int port, java.nio.file.Path tlsCertFile, Path tlsKeyFile, Path clientCaFile) {}
