package io.jk8s.cli.join;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * A bootstrap token {@code <id>.<secret>} ({@code [a-z0-9]{6}.[a-z0-9]{16}}), as kubeadm's: the id is
 * public (it names the Secret {@code kube-system/bootstrap-token-<id>}), the secret is the password.
 */
public record BootstrapToken(String id, String secret) {

    static final Pattern FORMAT = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    public BootstrapToken {
        if (!FORMAT.matcher(id + "." + secret).matches()) {
            throw new IllegalArgumentException("a bootstrap token is [a-z0-9]{6}.[a-z0-9]{16}");
        }
    }

    public static BootstrapToken generate() {
        return new BootstrapToken(random(6), random(16));
    }

    public static BootstrapToken parse(String text) {
        var m = FORMAT.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("a bootstrap token is [a-z0-9]{6}.[a-z0-9]{16}");
        return new BootstrapToken(m.group(1), m.group(2));
    }

    public String secretName() {
        return "bootstrap-token-" + id;
    }

    @Override
    public String toString() {
        return id + "." + secret;
    }

    private static String random(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return b.toString();
    }
}
