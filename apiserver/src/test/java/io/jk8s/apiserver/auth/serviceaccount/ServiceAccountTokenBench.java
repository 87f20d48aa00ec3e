package io.jk8s.apiserver.auth.serviceaccount;

import io.jk8s.apiserver.auth.AuthResult;
import io.jk8s.store.MemoryStore;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * CPU cost of service-account tokens, one thread: signing a pod-bound token (what every TokenRequest and
 * every kubelet refresh pays), authenticating one (RS256 verify + ServiceAccount and Pod reads from a memory
 * store: what every request made with a token pays), and refusing a forged one. Reports thread CPU time per
 * operation, which stays meaningful on a loaded machine. Not a test: run with
 * {@code java -cp <test classpath> io.jk8s.apiserver.auth.serviceaccount.ServiceAccountTokenBench [iterations]}.
 */
public final class ServiceAccountTokenBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        var config = new ServiceAccountTokens((RSAPrivateKey) kp.getPrivate(), (RSAPublicKey) kp.getPublic(),
                ServiceAccountTokens.DEFAULT_ISSUER, List.of(ServiceAccountTokens.DEFAULT_ISSUER), null);
        MemoryStore store = new MemoryStore();
        store.create("/registry/serviceaccounts/ns/sa", "{\"metadata\":{\"name\":\"sa\",\"uid\":\"sa-uid\"}}".getBytes(StandardCharsets.UTF_8));
        store.create("/registry/pods/ns/p", "{\"metadata\":{\"name\":\"p\",\"uid\":\"pod-uid\"}}".getBytes(StandardCharsets.UTF_8));
        TokenIssuer issuer = new TokenIssuer(config);
        var auth = new ServiceAccountTokenAuthenticator(config, store, Clock.systemUTC());
        Supplier<String> issue = () -> issuer.issue("ns", "sa", "sa-uid", new TokenIssuer.BoundObject("Pod", "p", "pod-uid"),
                List.of(ServiceAccountTokens.DEFAULT_ISSUER), Clock.systemUTC().instant(), 3607);
        String token = issue.get();
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        if (!(auth.check(token) instanceof AuthResult.Authenticated)) throw new IllegalStateException("token not accepted");
        if (auth.check(forged) instanceof AuthResult.Authenticated) throw new IllegalStateException("forged token accepted");

        System.out.printf("load average %.1f, %d operations each%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), n);
        measure("sign a pod-bound token", n / 10, () -> issue.get());
        measure("authenticate a pod-bound token", n, () -> auth.check(token));
        measure("refuse a forged token", n, () -> auth.check(forged));
        store.close();
    }

    private static void measure(String what, int n, Runnable op) {
        for (int i = 0; i < Math.max(200, n / 5); i++) op.run(); // warm-up
        var threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < n; i++) op.run();
        double cpuUs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / n;
        double wallUs = (System.nanoTime() - wall0) / 1e3 / n;
        System.out.printf("%-32s %8.1f µs CPU/op  %8.1f µs wall/op%n", what, cpuUs, wallUs);
    }
}
