package io.jk8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on kubectl runs that always show kubectl's own output when they fail. */
final class Expect {

    private Expect() {
    }

    /** Asserts exit code 0 and returns stdout. */
    static String ok(Kubectl.Result result) {
        assertThat(result.exitCode()).as("kubectl should succeed:%n%s", result.describe()).isZero();
        return result.stdout();
    }

    /** Asserts a non-zero exit code and returns stderr. */
    static String fails(Kubectl.Result result) {
        assertThat(result.exitCode()).as("kubectl should fail:%n%s", result.describe()).isNotZero();
        return result.stderr();
    }
}
