package io.jk8s.registry.validation;

import io.jk8s.api.FieldError;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** Collects field errors for one object; a thin, readable wrapper over a list. */
public final class Errors {

    private final List<FieldError> list = new ArrayList<>();

    public Errors required(String field, String detail) {
        list.add(FieldError.required(field, detail));
        return this;
    }

    public Errors required(String field) {
        return required(field, "");
    }

    public Errors invalid(String field, Object value, String detail) {
        list.add(FieldError.invalid(field, value, detail));
        return this;
    }

    /** One Invalid error per message, as upstream does for name checks. */
    public Errors invalidEach(String field, Object value, Collection<String> messages) {
        messages.forEach(m -> invalid(field, value, m));
        return this;
    }

    public Errors notSupported(String field, Object value, Collection<String> allowed) {
        list.add(FieldError.notSupported(field, value, allowed));
        return this;
    }

    /** Reports an unsupported value when {@code value} is set and not in {@code allowed}. */
    public Errors oneOf(String field, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            notSupported(field, value, allowed);
        }
        return this;
    }

    public Errors forbidden(String field, String detail) {
        list.add(FieldError.forbidden(field, detail));
        return this;
    }

    public Errors duplicate(String field, Object value) {
        list.add(FieldError.duplicate(field, value));
        return this;
    }

    public Errors notFound(String field, Object value) {
        list.add(new FieldError(FieldError.Type.NOT_FOUND, field, value, ""));
        return this;
    }

    public Errors tooLong(String field, String detail) {
        list.add(new FieldError(FieldError.Type.TOO_LONG, field, null, detail));
        return this;
    }

    public Errors addAll(List<FieldError> errors) {
        list.addAll(errors);
        return this;
    }

    /** {@code must be greater than or equal to 0} when negative. */
    public Errors nonNegative(String field, Long value) {
        if (value != null && value < 0) {
            invalid(field, value, "must be greater than or equal to 0");
        }
        return this;
    }

    /** {@code must be greater than 0} when zero or negative. */
    public Errors positive(String field, Long value) {
        if (value != null && value <= 0) {
            invalid(field, value, "must be greater than 0");
        }
        return this;
    }

    /** {@code field is immutable} when the values differ. */
    public Errors immutable(String field, Object now, Object before) {
        if (!Objects.equals(now, before)) {
            invalid(field, now, "field is immutable");
        }
        return this;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<FieldError> toList() {
        return List.copyOf(list);
    }
}
