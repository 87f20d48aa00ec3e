package io.jk8s.registry.support;

import io.jk8s.registry.TableColumn;

/** Column definitions shared by most printers, with upstream's names and types. */
public final class Columns {

    public static final String NAME_DOC = "Name must be unique within a namespace. Is required when creating resources, "
            + "although some resources may allow a client to request the generation of an appropriate name automatically. "
            + "Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. "
            + "More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    public static final String CREATED_DOC = "CreationTimestamp is a timestamp representing the server time when this "
            + "object was created. It is not guaranteed to be set in happens-before order across separate operations. "
            + "Clients may not set this value. It is represented in RFC3339 form and is in UTC.";

    private Columns() {
    }

    public static TableColumn name() {
        return new TableColumn("Name", "string", "name", NAME_DOC, 0);
    }

    public static TableColumn age() {
        return TableColumn.of("Age", "string", CREATED_DOC);
    }

    /** RBAC and LimitRange print the creation time itself rather than an age. */
    public static TableColumn createdAt() {
        return new TableColumn("Created At", "date", "", CREATED_DOC, 0);
    }

    public static TableColumn str(String name, String description) {
        return TableColumn.of(name, "string", description);
    }

    public static TableColumn integer(String name, String description) {
        return TableColumn.of(name, "integer", description);
    }

    public static TableColumn bool(String name, String description) {
        return TableColumn.of(name, "boolean", description);
    }

    public static TableColumn wide(String name, String description) {
        return TableColumn.wide(name, "string", description);
    }

    public static TableColumn containers() {
        return wide("Containers", "Names of each container in the template.");
    }

    public static TableColumn images() {
        return wide("Images", "Images referenced by each container in the template.");
    }
}
