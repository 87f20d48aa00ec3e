package io.jk8s.scheduler.framework;

/**
 * The root of all scheduling plugins. A plugin implements one or more extension-point interfaces
 * ({@link PreFilterPlugin}, {@link FilterPlugin}, {@link ScorePlugin}, ...) and is listed in a
 * {@link Profile}. Plugins are called from the single scheduling thread, except {@link BindPlugin}
 * which runs on a binding thread; they must not block on I/O outside binding.
 */
public interface Plugin {
    /** The unique name used in profiles and failure messages, e.g. {@code NodeResourcesFit}. */
    String name();
}
