package io.jk8s.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {

    private static final Map<String, String> POD = Map.of("metadata.name", "web-1", "spec.nodeName", "n1",
            "status.phase", "Running", "metadata.namespace", "a,b=c\\");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "metadata.name=web-1|true",
            "metadata.name==web-1|true",
            "metadata.name!=web-1|false",
            "spec.nodeName=n1,status.phase=Running|true",
            "spec.nodeName=n1,status.phase!=Running|false",
            "spec.nodeName=|false",
            "spec.unknown=|true",
            "spec.unknown!=|false",
            "metadata.namespace=a\\,b\\=c\\\\|true",
    })
    void matchesAsUpstream(String selector, boolean expected) {
        assertThat(FieldSelector.parse(selector).matches(POD::get)).isEqualTo(expected);
    }

    @Test
    void exposesRequirementsSorted() {
        FieldSelector s = FieldSelector.parse("status.phase!=Failed,spec.nodeName=n1");
        assertThat(s.requirements()).containsExactly(
                new FieldSelector.Requirement("spec.nodeName", Operator.EQUALS, "n1"),
                new FieldSelector.Requirement("status.phase", Operator.NOT_EQUALS, "Failed"));
        assertThat(s.requiredValue("spec.nodeName")).isEqualTo("n1");
        assertThat(s.toString()).isEqualTo("spec.nodeName=n1,status.phase!=Failed");
    }

    @Test
    void emptySelectorMatchesEverything() {
        assertThat(FieldSelector.parse("").matches(POD::get)).isTrue();
        assertThat(FieldSelector.parse("").isEmpty()).isTrue();
    }

    @Test
    void rejectsMalformedSelectors() {
        assertThatThrownBy(() -> FieldSelector.parse("metadata.name")).isInstanceOf(SelectorException.class)
                .hasMessageContaining("can't understand 'metadata.name'");
        assertThatThrownBy(() -> FieldSelector.parse("a=b=c")).isInstanceOf(SelectorException.class)
                .hasMessageContaining("unescaped character");
        assertThatThrownBy(() -> FieldSelector.parse("a=b\\x")).isInstanceOf(SelectorException.class)
                .hasMessageContaining("invalid escape sequence");
    }
}
