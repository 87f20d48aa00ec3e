package io.jk8s.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "address {1} of {0} is {2}")
    @CsvSource({
        "10.96.0.0/12, 1, 10.96.0.1",
        "10.96.0.0/12, 10, 10.96.0.10",
        "10.0.0.0/8, 256, 10.0.1.0",
        "fd00:10:96::/108, 1, fd00:10:96:0:0:0:0:1",
    })
    void offsetsFromTheNetworkAddress(String cidr, long offset, String expected) {
        assertThat(Cidr.parse(cidr).address(offset)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.96.0.0", "10.96.0.0/33", "example.com/8", "10.96.0.0/x"})
    void rejectsWhatIsNotACidr(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
