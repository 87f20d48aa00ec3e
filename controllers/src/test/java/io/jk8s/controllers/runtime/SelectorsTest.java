package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SelectorsTest {

    @Test
    void matchLabelsAndExpressions() {
        var sel = new LabelSelectorBuilder().addToMatchLabels("app", "web")
                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("a", "b").endMatchExpression()
                .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression()
                .build();
        assertThat(Selectors.matches(sel, Map.of("app", "web", "tier", "a"))).isTrue();
        assertThat(Selectors.matches(sel, Map.of("app", "web", "tier", "c"))).isFalse();
        assertThat(Selectors.matches(sel, Map.of("app", "web", "tier", "b", "canary", "1"))).isFalse();
        assertThat(Selectors.matches(sel, Map.of("tier", "a"))).isFalse();
        assertThat(Selectors.matches(null, Map.of())).isFalse();
        assertThat(Selectors.isEmpty(new LabelSelectorBuilder().build())).isTrue();
    }
}
