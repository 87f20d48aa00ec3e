package io.jk8s.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A strategy assembled from small functions, for kinds whose rules fit in a few lines
 * (Lease, Role, PriorityClass ...). Kinds with more behaviour subclass {@link BaseStrategy}.
 */
public final class SimpleStrategy extends BaseStrategy {

    private final Consumer<ObjectNode> defaults;
    private final BiConsumer<ObjectNode, Errors> validator;
    private final TriConsumer transition;
    private final BiConsumer<ObjectNode, Map<String, String>> fields;
    private final List<TableColumn> columns;
    private final BiFunction<ObjectNode, Instant, List<Object>> cells;
    private final boolean generation;

    private SimpleStrategy(Builder b) {
        super(b.type, b.nameRule, b.anonymous);
        this.defaults = b.defaults;
        this.validator = b.validator;
        this.transition = b.transition;
        this.fields = b.fields;
        this.columns = List.copyOf(b.columns);
        this.cells = b.cells;
        this.generation = b.generation;
    }

    /** Compares a new object with the stored one. */
    @FunctionalInterface
    public interface TriConsumer {
        void accept(ObjectNode obj, ObjectNode old, Errors errs);
    }

    public static Builder builder(ResourceType type) {
        return new Builder(type);
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        defaults.accept(obj);
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        validator.accept(obj, errs);
    }

    @Override
    protected void validateTransition(ObjectNode obj, ObjectNode old, Errors errs) {
        transition.accept(obj, old, errs);
    }

    @Override
    protected void addSelectableFields(ObjectNode obj, Map<String, String> out) {
        fields.accept(obj, out);
    }

    @Override
    public boolean tracksGeneration() {
        return generation;
    }

    @Override
    public List<TableColumn> columns() {
        return columns;
    }

    /** NAME first, the kind's cells, then AGE unless the kind places it itself. */
    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        return cells.apply(obj, now);
    }

    public static final class Builder {
        private final ResourceType type;
        private Function<String, List<String>> nameRule = NameRules.SUBDOMAIN_NAME;
        private Consumer<ObjectNode> defaults = o -> { };
        private BiConsumer<ObjectNode, Errors> validator = (o, e) -> { };
        private TriConsumer transition = (o, old, e) -> { };
        private BiConsumer<ObjectNode, Map<String, String>> fields = (o, m) -> { };
        private List<TableColumn> columns = List.of(Columns.name(), Columns.age());
        private BiFunction<ObjectNode, Instant, List<Object>> cells = (o, now) -> List.of(Rows.name(o), Rows.age(o, now));
        private boolean generation;
        private boolean anonymous;

        private Builder(ResourceType type) {
            this.type = type;
        }

        public Builder names(Function<String, List<String>> rule) {
            this.nameRule = rule;
            return this;
        }

        public Builder defaults(Consumer<ObjectNode> d) {
            this.defaults = d;
            return this;
        }

        public Builder validate(BiConsumer<ObjectNode, Errors> v) {
            this.validator = v;
            return this;
        }

        public Builder onUpdate(TriConsumer t) {
            this.transition = t;
            return this;
        }

        public Builder fields(BiConsumer<ObjectNode, Map<String, String>> f) {
            this.fields = f;
            return this;
        }

        /** Objects that are never stored (reviews) and so need no name. */
        public Builder anonymous() {
            this.anonymous = true;
            return this;
        }

        public Builder tracksGeneration() {
            this.generation = true;
            return this;
        }

        /**
         * Table: NAME, then {@code middle} columns and cells, then AGE (kubectl's usual layout), then
         * {@code wide} columns (their cells come last from {@code middleCells}).
         */
        public Builder table(List<TableColumn> middle, BiFunction<ObjectNode, Instant, List<Object>> middleCells) {
            List<TableColumn> cols = new ArrayList<>();
            cols.add(Columns.name());
            List<TableColumn> wide = new ArrayList<>();
            for (TableColumn c : middle) {
                (c.priority() == 0 ? cols : wide).add(c);
            }
            cols.add(Columns.age());
            cols.addAll(wide);
            int narrow = cols.size() - wide.size() - 2;
            this.columns = cols;
            this.cells = (o, now) -> {
                List<Object> mid = middleCells.apply(o, now);
                List<Object> row = new ArrayList<>();
                row.add(Rows.name(o));
                row.addAll(mid.subList(0, narrow));
                row.add(Rows.age(o, now));
                row.addAll(mid.subList(narrow, mid.size()));
                return row;
            };
            return this;
        }

        /** A table laid out exactly as given (for kinds whose AGE is not just after the narrow columns). */
        public Builder rawTable(List<TableColumn> cols, BiFunction<ObjectNode, Instant, List<Object>> rowCells) {
            this.columns = List.copyOf(cols);
            this.cells = rowCells;
            return this;
        }

        public SimpleStrategy build() {
            return new SimpleStrategy(this);
        }
    }
}
