package io.jk8s.controllers.nodeipam;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrSetTest {

    @Test
    void handsOutEverySubnetOnceThenNothing() {
        CidrSet set = new CidrSet("10.244.0.0/22", 24);
        assertThat(set.allocate()).contains("10.244.0.0/24");
        assertThat(set.allocate()).contains("10.244.1.0/24");
        assertThat(set.allocate()).contains("10.244.2.0/24");
        assertThat(set.allocate()).contains("10.244.3.0/24");
        assertThat(set.allocate()).isEmpty();
        assertThat(set.free()).isZero();
    }

    @Test
    void skipsOccupiedSubnetsAndReusesReleasedOnesAfterTheRest() {
        CidrSet set = new CidrSet("10.244.0.0/22", 24);
        assertThat(set.occupy("10.244.0.0/24")).isTrue();
        assertThat(set.allocate()).contains("10.244.1.0/24");
        set.release("10.244.1.0/24");
        assertThat(set.allocate()).contains("10.244.2.0/24");
        assertThat(set.allocate()).contains("10.244.3.0/24");
        assertThat(set.allocate()).contains("10.244.1.0/24");
        assertThat(set.allocate()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.64.1.0/24", "10.244.0.0/25", "10.244.0.0/16", "garbage", "10.244.4.0/24"})
    void ignoresRangesThatAreNotItsSubnets(String cidr) {
        CidrSet set = new CidrSet("10.244.0.0/22", 24);
        assertThat(set.occupy(cidr)).isFalse();
        assertThat(set.free()).isEqualTo(4);
    }

    @Test
    void rejectsAClusterRangeSmallerThanOneNodeRange() {
        assertThatThrownBy(() -> new CidrSet("10.244.0.0/25", 24)).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> new CidrSet("10.244.1.0/16", 24)).hasMessageContaining("host bits");
    }
}
