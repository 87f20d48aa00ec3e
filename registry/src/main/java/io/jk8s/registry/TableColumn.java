package io.jk8s.registry;

/**
 * One column of a {@code meta.k8s.io/v1 Table}, as upstream's printers declare it.
 *
 * @param priority 0 = always shown, 1 = only with {@code -o wide}
 */
public record TableColumn(String name, String type, String format, String description, int priority) {

    public static TableColumn of(String name, String type, String description) {
        return new TableColumn(name, type, "", description, 0);
    }

    public static TableColumn wide(String name, String type, String description) {
        return new TableColumn(name, type, "", description, 1);
    }
}
