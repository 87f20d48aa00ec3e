package io.jk8s.registry.validation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NameRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "web-1", "a.b.c", "0abc"})
    void acceptsSubdomains(String name) {
        assertThat(NameRules.dns1123Subdomain(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Web", "-a", "a-", "a_b", "a..b", ""})
    void rejectsBadSubdomains(String name) {
        assertThat(NameRules.dns1123Subdomain(name)).isNotEmpty();
    }

    @Test
    void messagesAreUpstreams() {
        assertThat(NameRules.dns1123Subdomain("Web")).containsExactly("a lowercase RFC 1123 subdomain must consist of lower case "
                + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
                + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        assertThat(NameRules.dns1035Label("1abc")).containsExactly("a DNS-1035 label must consist of lower case alphanumeric "
                + "characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  "
                + "or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
        assertThat(NameRules.dns1123Label("a".repeat(64))).containsExactly("must be no more than 63 characters");
    }

    @Test
    void qualifiedNamesAllowOnePrefix() {
        assertThat(NameRules.qualifiedName("app.kubernetes.io/name")).isEmpty();
        assertThat(NameRules.qualifiedName("a/b/c")).hasSize(1);
        assertThat(NameRules.qualifiedName("/x")).containsExactly("prefix part must be non-empty");
        assertThat(NameRules.qualifiedName("Bad_Prefix/x")).hasSize(1).first().asString().startsWith("prefix part a lowercase RFC 1123");
    }

    @Test
    void portNamesAndConfigKeys() {
        assertThat(NameRules.portName("http")).isEmpty();
        assertThat(NameRules.portName("80")).containsExactly("must contain at least one letter (a-z)");
        assertThat(NameRules.portName("a--b")).containsExactly("must not contain consecutive hyphens");
        assertThat(NameRules.configMapKey("app.properties")).isEmpty();
        assertThat(NameRules.configMapKey("..x")).containsExactly("must not start with '..'");
        assertThat(NameRules.configMapKey("a b")).hasSize(1);
        assertThat(NameRules.pathSegment("a/b")).containsExactly("may not contain '/'");
    }
}
