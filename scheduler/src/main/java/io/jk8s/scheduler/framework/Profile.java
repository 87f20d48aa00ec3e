package io.jk8s.scheduler.framework;

import java.util.List;
import java.util.Map;

/**
 * A scheduling profile: the scheduler name pods select it with ({@code spec.schedulerName}),
 * the plugins in the order they run at each extension point, and the weight of each score plugin
 * (default 1).
 */
public record Profile(String schedulerName, List<PluginFactory> plugins, Map<String, Integer> scoreWeights) {

    /** Creates a plugin for one framework; plugins that need no handle ignore it. */
    @FunctionalInterface
    public interface PluginFactory {
        Plugin create(FrameworkHandle handle);
    }

    public Profile {
        plugins = List.copyOf(plugins);
        scoreWeights = Map.copyOf(scoreWeights);
    }

    public int weightOf(String plugin) {
        return scoreWeights.getOrDefault(plugin, 1);
    }
}
