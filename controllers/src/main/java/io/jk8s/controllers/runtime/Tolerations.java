package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.Objects;

/** Toleration matching (upstream ToleratesTaint): effect, then Exists (any value, empty key = all) or Equal. */
public final class Tolerations {

    private Tolerations() {
    }

    public static boolean tolerates(Toleration tol, Taint taint) {
        if (tol.getEffect() != null && !tol.getEffect().isEmpty() && !tol.getEffect().equals(taint.getEffect())) return false;
        if ("Exists".equals(tol.getOperator())) {
            return tol.getKey() == null || tol.getKey().isEmpty() || tol.getKey().equals(taint.getKey());
        }
        return Objects.equals(tol.getKey(), taint.getKey()) && Objects.equals(Objects.toString(tol.getValue(), ""), Objects.toString(taint.getValue(), ""));
    }
}
