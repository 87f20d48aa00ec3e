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

    /** Asserts a non-zero exit code and that stderr holds every fragment; failures show the whole run. */
    static void failsWith(Kubectl.Result result, String... fragments) {
        assertThat(result.exitCode()).as("kubectl should fail:%n%s", result.describe()).isNotZero();
        assertThat(result.stderr()).as("kubectl's error message:%n%s", result.describe()).contains(fragments);
    }

}
