package io.jk8s.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

    private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "fe", "rank", "5");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "app=web|true",
            "app==web|true",
            "app = web|true",
            "app!=web|false",
            "app!=db|true",
            "missing!=x|true",
            "app in (web,db)|true",
            "app in (db)|false",
            "app notin (db)|true",
            "missing notin (db)|true",
            "app notin (web)|false",
            "app|true",
            "missing|false",
            "!missing|true",
            "!app|false",
            "app=web,tier=fe|true",
            "app=web,tier=be|false",
            "rank>4|true",
            "rank<4|false",
            "app>1|false",
            "missing=|false",
            "tier in (fe, be),!canary|true",
    })
    void matchesAsUpstream(String selector, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(expected);
    }

    @Test
    void emptyStringMatchesEverything() {
        assertThat(LabelSelector.parse("").matches(LABELS)).isTrue();
        assertThat(LabelSelector.parse("").isEmpty()).isTrue();
        assertThat(LabelSelector.everything().matches(Map.of())).isTrue();
        assertThat(LabelSelector.nothing().matches(Map.of())).isFalse();
    }

    @Test
    void emptyValueMatchesEmptyLabel() {
        assertThat(LabelSelector.parse("a=").matches(Map.of("a", ""))).isTrue();
        assertThat(LabelSelector.parse("a in (,x)").matches(Map.of("a", ""))).isTrue();
    }

    @Test
    void canonicalStringSortsKeysAndValues() {
        assertThat(LabelSelector.parse("z in (c,a,b),a!=1,!m,k").toString()).isEqualTo("a!=1,k,!m,z in (a,b,c)");
        assertThat(LabelSelector.parse("x==y").toString()).isEqualTo("x==y");
        assertThat(LabelSelector.parse("").format()).isEqualTo("<none>");
        assertThat(LabelSelector.parse("b=2,a=1").format()).isEqualTo("a=1,b=2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a in ()", "a in (b", "a=b=c", "=b", "a,", "a notin x", "a b", "!a=b", "a>x", "a=(b)",
            "a b=c"})
    void rejectsMalformedSelectors(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector)).isInstanceOf(SelectorException.class)
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidKeyAndValueAreNamed() {
        assertThatThrownBy(() -> LabelSelector.parse("-bad=x")).hasMessageContaining("\"-bad\"")
                .hasMessageContaining("name part must consist of");
        assertThatThrownBy(() -> LabelSelector.parse("app=a_b-")).hasMessageContaining("values[0][app]")
                .hasMessageContaining("\"a_b-\"");
    }

    @Test
    void convertsMetav1LabelSelector() throws Exception {
        var json = new ObjectMapper().readTree("""
                {"matchLabels":{"app":"web"},
                 "matchExpressions":[{"key":"tier","operator":"In","values":["fe","be"]},
                                     {"key":"canary","operator":"DoesNotExist"},
                                     {"key":"rank","operator":"Exists"},
                                     {"key":"zone","operator":"NotIn","values":["x"]}]}""");
        LabelSelector s = LabelSelector.fromJson(json);
        assertThat(s.matches(LABELS)).isTrue();
        assertThat(s.toString()).isEqualTo("app=web,!canary,rank,tier in (be,fe),zone notin (x)");
        assertThat(LabelSelector.fromJson(new ObjectMapper().readTree("{}")).matches(Map.of())).isTrue();
        assertThat(LabelSelector.fromJson(null).matches(Map.of())).isFalse();
    }

    @Test
    void rejectsBadMatchExpressions() throws Exception {
        var mapper = new ObjectMapper();
        assertThatThrownBy(() -> LabelSelector.fromJson(mapper.readTree(
                "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":[]}]}")))
                .isInstanceOf(SelectorException.class).hasMessageContaining("can't be empty");
        assertThatThrownBy(() -> LabelSelector.fromJson(mapper.readTree(
                "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Foo\"}]}")))
                .isInstanceOf(SelectorException.class).hasMessageContaining("\"Foo\"");
    }
}
