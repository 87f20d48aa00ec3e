package io.jk8s.api.model;

import java.lang.reflect.Type;

/**
 * One JSON property of a fabric8 model class.
 *
 * @param name     JSON name (from {@code @JsonProperty})
 * @param type     declared Java type, with generics ({@code List<Container>}, {@code Map<String,String>})
 */
public record ModelProperty(String name, Type type) {
}
