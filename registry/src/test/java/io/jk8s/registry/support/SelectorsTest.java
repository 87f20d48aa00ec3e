package io.jk8s.registry.support;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.jk8s.registry.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

class SelectorsTest {

    @Test
    void formatsLabelSelectorsSortedByKey() {
        var sel = json("{'matchLabels':{'tier':'web','app':'x'},'matchExpressions':[{'key':'env','operator':'In','values':['prod','dev']},"
                + "{'key':'gone','operator':'DoesNotExist'}]}");
        assertThat(Selectors.formatLabelSelector(sel)).isEqualTo("app=x,env in (dev,prod),!gone,tier=web");
        assertThat(Selectors.formatLabelSelector(json("{}"))).isEqualTo("<none>");
        assertThat(Selectors.formatLabelSelector(null)).isEqualTo("<none>");
    }

    @Test
    void formatsLabelMaps() {
        assertThat(Selectors.formatLabels(json("{'b':'2','a':'1'}"))).isEqualTo("a=1,b=2");
        assertThat(Selectors.formatLabels(json("{}"))).isEqualTo("<none>");
    }

    @Test
    void matchesLabelsAndExpressions() {
        var sel = json("{'matchLabels':{'app':'x'},'matchExpressions':[{'key':'env','operator':'NotIn','values':['prod']}]}");
        assertThat(Selectors.matches(sel, Map.of("app", "x"))).isTrue();
        assertThat(Selectors.matches(sel, Map.of("app", "x", "env", "dev"))).isTrue();
        assertThat(Selectors.matches(sel, Map.of("app", "x", "env", "prod"))).isFalse();
        assertThat(Selectors.matches(sel, Map.of("app", "y"))).isFalse();
    }

    @Test
    void rendersGoValuesLikeUpstreamErrors() {
        assertThat(GoValue.labels(json("{'b':'2','a':'1'}")).toString()).isEqualTo("map[string]string{\"a\":\"1\", \"b\":\"2\"}");
        assertThat(GoValue.selector(json("{'matchLabels':{'app':'x'}}")).toString())
                .isEqualTo("v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"x\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}");
    }
}
