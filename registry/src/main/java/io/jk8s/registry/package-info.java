/**
 * The built-in resource types and their per-kind rules.
 *
 * <p>{@link io.jk8s.registry.BuiltinRegistry} lists every served resource with upstream's discovery facts and one
 * {@link io.jk8s.registry.KindStrategy} each. Strategies extend {@link io.jk8s.registry.BaseStrategy} (object-meta
 * validation, status-subresource semantics, NAME/AGE table) directly when a kind has real behaviour
 * ({@code core.PodStrategy}, {@code apps.DeploymentStrategy} ...) or are assembled with
 * {@link io.jk8s.registry.SimpleStrategy} when a few lambdas suffice. Sub-packages: {@code core} (core/v1),
 * {@code apps}, {@code batch}, {@code groups} (the other API groups), {@code validation} (name formats, field
 * error collection), {@code support} (JSON access, durations, quantities, selectors, column helpers).
 */
package io.jk8s.registry;
