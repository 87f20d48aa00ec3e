package io.jk8s.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "web", "my-name", "123-abc", "a1"})
    void acceptsDns1123Labels(String value) {
        assertThat(Names.dns1123Label(value)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "A", "a.b", "a_b"})
    void rejectsBadDns1123Labels(String value) {
        assertThat(Names.dns1123Label(value)).containsExactly(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
                        + "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void reportsTooLongLabel() {
        assertThat(Names.dns1123Label("a".repeat(64))).containsExactly("must be no more than 63 characters");
    }

    @Test
    void subdomainAllowsDotsButNotUppercase() {
        assertThat(Names.dns1123Subdomain("example.com")).isEmpty();
        assertThat(Names.dns1123Subdomain("Example.com")).singleElement().asString()
                .startsWith("a lowercase RFC 1123 subdomain must consist of")
                .contains("(e.g. 'example.com', regex used for validation is");
        assertThat(Names.dns1123Subdomain("a".repeat(254))).contains("must be no more than 253 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "app.kubernetes.io/name", "k8s.io/My_Key.1", "a"})
    void acceptsLabelKeys(String key) {
        assertThat(Names.labelKey(key)).isEmpty();
    }

    @Test
    void labelKeyNamesTheBadPart() {
        assertThat(Names.labelKey("/x")).containsExactly("prefix part must be non-empty");
        assertThat(Names.labelKey("Bad_Prefix/x")).singleElement().asString().startsWith("prefix part a lowercase RFC 1123 subdomain");
        assertThat(Names.labelKey("x/")).first().isEqualTo("name part must be non-empty");
        assertThat(Names.labelKey("a/b/c")).singleElement().asString().startsWith("a qualified name must consist of")
                .endsWith("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        assertThat(Names.labelKey("-x")).singleElement().asString().startsWith("name part must consist of");
    }

    @Test
    void labelValues() {
        assertThat(Names.labelValue("")).isEmpty();
        assertThat(Names.labelValue("my_value.1")).isEmpty();
        assertThat(Names.labelValue("a b")).singleElement().asString().startsWith("a valid label must be an empty string");
        assertThat(Names.labelValue("a".repeat(64))).contains("must be no more than 63 characters");
    }

    @Test
    void dns1035LabelsStartWithALetter() {
        assertThat(Names.dns1035Label("web-1")).isEmpty();
        assertThat(Names.dns1035Label("1web")).singleElement().asString().startsWith("a DNS-1035 label must consist");
    }

    @Test
    void portNamesAndNumbers() {
        assertThat(Names.portName("http")).isEmpty();
        assertThat(Names.portName("80")).containsExactly("must contain at least one letter (a-z)");
        assertThat(Names.portName("-a--b")).contains("must not contain consecutive hyphens",
                "must not begin or end with a hyphen");
        assertThat(Names.portName("a-very-long-port-name")).contains("must be no more than 15 characters");
        assertThat(Names.portNumber(80)).isEmpty();
        assertThat(Names.portNumber(0)).containsExactly("must be between 1 and 65535, inclusive");
    }

    @Test
    void envVarNamesAndConfigKeys() {
        assertThat(Names.envVarName("MY_ENV.NAME")).isEmpty();
        assertThat(Names.envVarName("1X")).singleElement().asString().startsWith("a valid environment variable name");
        assertThat(Names.configMapKey("app.properties")).isEmpty();
        assertThat(Names.configMapKey("..x")).containsExactly("must not start with '..'");
        assertThat(Names.configMapKey("a/b")).singleElement().asString().startsWith("a valid config key");
    }
}
