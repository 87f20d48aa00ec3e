package io.jk8s.cli.join;

import io.jk8s.cli.server.GoDurationConverter;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.cli.KubeClients;
import io.jk8s.cli.server.ClusterComponents;
import io.jk8s.cli.server.DataDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code jk8s token}: bootstrap tokens that let agents join. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage bootstrap tokens for joining agents.",
        subcommands = {TokenCommand.Create.class})
public final class TokenCommand implements Runnable {

    /** The extra group every jk8s join token carries (kubeadm: system:bootstrappers:kubeadm:default-node-token). */
    public static final String DEFAULT_GROUP = "system:bootstrappers:jk8s:default-node-token";

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a bootstrap token and print the 'jk8s agent' command that joins a machine with it.")
    public static final class Create implements Callable<Integer> {

        @Option(names = "--ttl", defaultValue = "24h", description = "How long the token is valid (e.g. 24h, 30m; 0 = never expires). Default: ${DEFAULT-VALUE}.")
        String ttl;

        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Admin kubeconfig (default: <data-dir>/admin.kubeconfig).")
        Path kubeconfig;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "The server's data directory (default: /var/lib/jk8s as root, else ~/.jk8s).")
        Path dataDir;

        @Option(names = "--description", description = "Stored with the token.")
        String description;

        @Override
        public Integer call() throws Exception {
            Duration lifetime = GoDurationConverter.parse(ttl);
            Path file = kubeconfig != null ? kubeconfig : new DataDir(dataDir != null ? dataDir : DataDir.defaultRoot()).adminKubeconfig();
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read kubeconfig " + file + " (pass --kubeconfig or --data-dir)");
            }
            BootstrapToken token = BootstrapToken.generate();
            try (KubernetesClient client = KubeClients.fromKubeconfig(file)) {
                X509Certificate ca = caOf(client);
                client.secrets().inNamespace("kube-system").resource(secret(token, lifetime, description, Clock.systemUTC())).create();
                System.out.println("jk8s agent --server " + advertisedServer(client.getConfiguration().getMasterUrl())
                        + " --token " + new JoinToken(CaHash.of(ca), token));
            }
            return 0;
        }
    }

    /** The Secret upstream's bootstrap-token authenticator (and ours) reads. */
    static Secret secret(BootstrapToken token, Duration ttl, String description, Clock clock) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("token-id", token.id());
        data.put("token-secret", token.secret());
        if (!ttl.isZero()) data.put("expiration", clock.instant().plus(ttl).truncatedTo(ChronoUnit.SECONDS).toString());
        data.put("usage-bootstrap-authentication", "true");
        data.put("usage-bootstrap-signing", "true");
        data.put("auth-extra-groups", DEFAULT_GROUP);
        if (description != null) data.put("description", description);
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        return new SecretBuilder().withNewMetadata().withName(token.secretName()).withNamespace("kube-system").endMetadata()
                .withType("bootstrap.kubernetes.io/token").withData(encoded).build();
    }

    private static X509Certificate caOf(KubernetesClient client) throws Exception {
        var cfg = client.getConfiguration();
        byte[] pem = cfg.getCaCertData() != null ? Base64.getDecoder().decode(cfg.getCaCertData())
                : Files.readAllBytes(Path.of(cfg.getCaCertFile()));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }

    /** The kubeconfig's server, with a loopback host replaced by this machine's address (other machines use it). */
    static String advertisedServer(String masterUrl) throws Exception {
        URI u = URI.create(masterUrl);
        String host = u.getHost();
        if (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.equals("[::1]")) {
            host = ClusterComponents.primaryIPv4();
        }
        return "https://" + host + ":" + (u.getPort() == -1 ? 443 : u.getPort());
    }
}
