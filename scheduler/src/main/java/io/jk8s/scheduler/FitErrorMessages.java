package io.jk8s.scheduler;

import io.jk8s.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The "N reason" histogram of upstream's failure messages. */
public final class FitErrorMessages {

    private FitErrorMessages() {
    }

    /** {@code 0/N nodes are available: <histogram>.} for a map of node rejections. */
    public static String format(int numAllNodes, Map<String, Status> nodeToStatus) {
        return new FitError(numAllNodes, nodeToStatus, null, null).message();
    }

    /** "count reason" for every distinct reason, sorted as strings (as upstream does). */
    public static List<String> histogram(Map<String, Status> nodeToStatus) {
        Map<String, Integer> counts = new HashMap<>();
        for (Status s : nodeToStatus.values()) {
            for (String reason : s.reasons()) {
                counts.merge(reason, 1, Integer::sum);
            }
        }
        List<String> out = new ArrayList<>(counts.size());
        counts.forEach((reason, n) -> out.add(n + " " + reason));
        Collections.sort(out);
        return out;
    }
}
