package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.registry.TableColumn;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.HumanDuration;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kubectl's pod row: READY counts, the STATUS it derives from phase, init and container states
 * (Init:0/1, CrashLoopBackOff, Completed, Terminating ...), and RESTARTS with "(5m ago)".
 */
public final class PodPrinter {

    static final List<TableColumn> COLUMNS = List.of(
            Columns.name(),
            Columns.str("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Columns.str("Status", "The aggregate status of the containers in this pod."),
            Columns.str("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            Columns.age(),
            Columns.wide("IP", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
            Columns.wide("Node", "NodeName indicates in which node this pod is scheduled."),
            Columns.wide("Nominated Node", "nominatedNodeName is set when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods."),
            Columns.wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness."));

    private PodPrinter() {
    }

    public static List<Object> row(ObjectNode pod, Instant now) {
        JsonNode spec = pod.path("spec");
        JsonNode status = pod.path("status");
        int restarts = 0;
        int restartableInitRestarts = 0;
        int total = Json.size(spec.get("containers"));
        int ready = 0;
        Instant lastRestart = null;
        Instant lastRestartableInitRestart = null;
        String phase = Json.text(status, "phase");
        String reason = Json.text(status, "reason").isEmpty() ? phase : Json.text(status, "reason");
        for (JsonNode cond : Json.objects(status.get("conditions"))) {
            if ("PodScheduled".equals(Json.text(cond, "type")) && "SchedulingGated".equals(Json.text(cond, "reason"))) {
                reason = "SchedulingGated";
            }
        }
        Map<String, Boolean> sidecar = new HashMap<>();
        List<ObjectNode> initSpecs = Json.objects(spec.get("initContainers"));
        for (ObjectNode c : initSpecs) {
            boolean always = "Always".equals(Json.str(c, "restartPolicy"));
            sidecar.put(Json.text(c, "name"), always);
            if (always) {
                total++;
            }
        }
        boolean initializing = false;
        List<ObjectNode> initStatuses = Json.objects(status.get("initContainerStatuses"));
        for (int i = 0; i < initStatuses.size(); i++) {
            ObjectNode cs = initStatuses.get(i);
            int count = (int) Json.longOr(cs, 0, "restartCount");
            restarts += count;
            Instant finished = lastTermination(cs);
            lastRestart = later(lastRestart, finished);
            boolean isSidecar = sidecar.getOrDefault(Json.text(cs, "name"), false);
            if (isSidecar) {
                restartableInitRestarts += count;
                lastRestartableInitRestart = later(lastRestartableInitRestart, finished);
            }
            JsonNode terminated = Json.at(cs, "state", "terminated");
            JsonNode waiting = Json.at(cs, "state", "waiting");
            if (Json.present(terminated) && Json.longOr(terminated, 0, "exitCode") == 0) {
                continue;
            }
            if (isSidecar && Json.bool(cs, "started")) {
                if (Json.bool(cs, "ready")) {
                    ready++;
                }
                continue;
            }
            if (Json.present(terminated)) {
                String r = Json.text(terminated, "reason");
                if (r.isEmpty()) {
                    long signal = Json.longOr(terminated, 0, "signal");
                    reason = signal != 0 ? "Init:Signal:" + signal : "Init:ExitCode:" + Json.longOr(terminated, 0, "exitCode");
                } else {
                    reason = "Init:" + r;
                }
            } else if (Json.present(waiting) && !Json.text(waiting, "reason").isEmpty()
                    && !"PodInitializing".equals(Json.text(waiting, "reason"))) {
                reason = "Init:" + Json.text(waiting, "reason");
            } else {
                reason = "Init:" + i + "/" + initSpecs.size();
            }
            initializing = true;
            break;
        }
        if (!initializing || conditionTrue(status, "Initialized")) {
            restarts = restartableInitRestarts;
            lastRestart = lastRestartableInitRestart;
            boolean hasRunning = false;
            List<ObjectNode> statuses = Json.objects(status.get("containerStatuses"));
            for (int i = statuses.size() - 1; i >= 0; i--) {
                ObjectNode cs = statuses.get(i);
                restarts += (int) Json.longOr(cs, 0, "restartCount");
                lastRestart = later(lastRestart, lastTermination(cs));
                JsonNode waiting = Json.at(cs, "state", "waiting");
                JsonNode terminated = Json.at(cs, "state", "terminated");
                if (Json.present(waiting) && !Json.text(waiting, "reason").isEmpty()) {
                    reason = Json.text(waiting, "reason");
                } else if (Json.present(terminated) && !Json.text(terminated, "reason").isEmpty()) {
                    reason = Json.text(terminated, "reason");
                } else if (Json.present(terminated)) {
                    long signal = Json.longOr(terminated, 0, "signal");
                    reason = signal != 0 ? "Signal:" + signal : "ExitCode:" + Json.longOr(terminated, 0, "exitCode");
                } else if (Json.bool(cs, "ready") && Json.has(cs, "state", "running")) {
                    hasRunning = true;
                    ready++;
                }
            }
            if ("Completed".equals(reason) && hasRunning) {
                reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
            }
        }
        boolean deleting = Json.has(pod, "metadata", "deletionTimestamp");
        if (deleting && "NodeLost".equals(Json.text(status, "reason"))) {
            reason = "Unknown";
        } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
            reason = "Terminating";
        }
        String restartText = String.valueOf(restarts);
        if (restarts != 0 && lastRestart != null) {
            restartText = restarts + " (" + HumanDuration.format(Duration.between(lastRestart, now)) + " ago)";
        }
        List<Object> row = new ArrayList<>();
        row.add(Rows.name(pod));
        row.add(ready + "/" + total);
        row.add(reason);
        row.add(restartText);
        row.add(Rows.age(pod, now));
        row.add(Rows.orNone(podIp(status)));
        row.add(Rows.orNone(Json.text(spec, "nodeName")));
        row.add(Rows.orNone(Json.text(status, "nominatedNodeName")));
        row.add(readinessGates(spec, status));
        return row;
    }

    static String podIp(JsonNode status) {
        List<ObjectNode> ips = Json.objects(status.get("podIPs"));
        if (!ips.isEmpty()) {
            return Json.text(ips.get(0), "ip");
        }
        return Json.text(status, "podIP");
    }

    private static String readinessGates(JsonNode spec, JsonNode status) {
        List<ObjectNode> gates = Json.objects(spec.get("readinessGates"));
        if (gates.isEmpty()) {
            return "<none>";
        }
        int trueCount = 0;
        for (ObjectNode gate : gates) {
            if (conditionTrue(status, Json.text(gate, "conditionType"))) {
                trueCount++;
            }
        }
        return trueCount + "/" + gates.size();
    }

    private static boolean conditionTrue(JsonNode status, String type) {
        for (JsonNode c : Json.objects(status.get("conditions"))) {
            if (type.equals(Json.text(c, "type"))) {
                return "True".equals(Json.text(c, "status"));
            }
        }
        return false;
    }

    private static Instant lastTermination(JsonNode containerStatus) {
        return HumanDuration.parse(Json.str(containerStatus, "lastState", "terminated", "finishedAt"));
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b != null && b.isAfter(a) ? b : a;
    }
}
