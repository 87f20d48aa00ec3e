package io.jk8s.cli.join;

import java.util.regex.Pattern;

/**
 * What {@code jk8s token create} prints and {@code jk8s agent --token} takes:
 * {@code K10<ca-hash>::<id>.<secret>} — k3s' "secure token" layout with kubeadm's parts:
 * {@code K10} marks the format, {@code <ca-hash>} is {@link CaHash} (64 hex digits, the SHA-256 of the
 * CA's SubjectPublicKeyInfo, i.e. kubeadm's {@code sha256:} pin), and {@code <id>.<secret>} is the
 * bootstrap token. The agent checks the server's CA against the hash before it sends the token.
 */
public record JoinToken(String caHash, BootstrapToken token) {

    private static final Pattern FORMAT = Pattern.compile("K10([0-9a-f]{64})::([a-z0-9]{6}\\.[a-z0-9]{16})");

    public static JoinToken parse(String text) {
        var m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid --token: expected K10<sha256 of the CA public key, 64 hex>::<id>.<secret> "
                    + "as printed by 'jk8s token create'");
        }
        return new JoinToken(m.group(1), BootstrapToken.parse(m.group(2)));
    }

    @Override
    public String toString() {
        return "K10" + caHash + "::" + token;
    }
}
