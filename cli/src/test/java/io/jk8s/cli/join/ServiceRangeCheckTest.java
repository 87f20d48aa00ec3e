package io.jk8s.cli.join;

import io.jk8s.cli.server.Cidr;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceRangeCheckTest {

    @Test
    void addressInsideTheRange() {
        assertThat(ServiceRangeCheck.contains(Cidr.parse("10.96.0.0/12"), "10.96.0.1")).isTrue();
        assertThat(ServiceRangeCheck.contains(Cidr.parse("10.96.0.0/12"), "10.111.255.254")).isTrue();
        assertThat(ServiceRangeCheck.contains(Cidr.parse("10.100.0.0/16"), "10.100.0.10")).isTrue();
    }

    @Test
    void addressOutsideTheRange() {
        assertThat(ServiceRangeCheck.contains(Cidr.parse("10.96.0.0/12"), "10.112.0.1")).isFalse();
        assertThat(ServiceRangeCheck.contains(Cidr.parse("10.96.0.0/12"), "10.100.0.1")).isTrue();
        assertThat(ServiceRangeCheck.contains(Cidr.parse("10.100.0.0/16"), "10.96.0.1")).isFalse();
        assertThat(ServiceRangeCheck.contains(Cidr.parse("10.96.0.0/12"), "fd00::1")).isFalse();
    }

    @Test
    void agentRefusesARangeWithoutTheClustersKubernetesServiceIp() {
        assertThat(ServiceRangeCheck.mismatch("10.96.0.0/12", java.util.Optional.of("10.200.0.1")))
                .hasValueSatisfying(m -> assertThat(m).contains("--service-cidr 10.96.0.0/12").contains("10.200.0.1"));
        assertThat(ServiceRangeCheck.mismatch("10.200.0.0/16", java.util.Optional.of("10.200.0.1"))).isEmpty();
        assertThat(ServiceRangeCheck.mismatch("10.96.0.0/12", java.util.Optional.empty())).isEmpty();
    }
}
