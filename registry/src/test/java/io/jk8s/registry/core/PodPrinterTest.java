package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.registry.TestJson;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;

import static io.jk8s.registry.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

class PodPrinterTest {

    private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");
    private static final String META = "'metadata':{'name':'web','namespace':'default','creationTimestamp':'2026-01-01T00:00:00Z'}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "pending | {'phase':'Pending'} | 0/1 | Pending | 0",
            "running ready | {'phase':'Running','podIP':'10.244.0.5','conditions':[{'type':'Ready','status':'True'}],'containerStatuses':[{'name':'c','ready':true,'restartCount':0,'state':{'running':{}}}]} | 1/1 | Running | 0",
            "crash loop | {'phase':'Running','containerStatuses':[{'name':'c','ready':false,'restartCount':5,'state':{'waiting':{'reason':'CrashLoopBackOff'}},'lastState':{'terminated':{'exitCode':1,'finishedAt':'2026-01-01T00:55:00Z'}}}]} | 0/1 | CrashLoopBackOff | 5 (5m ago)",
            "completed | {'phase':'Succeeded','containerStatuses':[{'name':'c','ready':false,'restartCount':0,'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]} | 0/1 | Completed | 0",
            "exit code | {'phase':'Failed','containerStatuses':[{'name':'c','ready':false,'restartCount':0,'state':{'terminated':{'exitCode':3}}}]} | 0/1 | ExitCode:3 | 0",
            "image pull | {'phase':'Pending','containerStatuses':[{'name':'c','ready':false,'restartCount':0,'state':{'waiting':{'reason':'ErrImagePull'}}}]} | 0/1 | ErrImagePull | 0",
            "evicted | {'phase':'Failed','reason':'Evicted'} | 0/1 | Evicted | 0",
            "gated | {'phase':'Pending','conditions':[{'type':'PodScheduled','status':'False','reason':'SchedulingGated'}]} | 0/1 | SchedulingGated | 0"})
    void statusColumnsAsKubectlComputesThem(String name, String status, String ready, String reason, String restarts) {
        ObjectNode pod = json("{" + META + ",'spec':{'containers':[{'name':'c','image':'x'}]},'status':" + status + "}");
        List<Object> row = PodPrinter.row(pod, NOW);
        assertThat(row.subList(0, 5)).containsExactly("web", ready, reason, restarts, "60m");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "init running | {'phase':'Pending','initContainerStatuses':[{'name':'i','ready':false,'restartCount':0,'state':{'running':{}}}]} | Init:0/1",
            "init crash | {'phase':'Pending','initContainerStatuses':[{'name':'i','ready':false,'restartCount':2,'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]} | Init:CrashLoopBackOff",
            "init failed | {'phase':'Pending','initContainerStatuses':[{'name':'i','ready':false,'restartCount':0,'state':{'terminated':{'exitCode':2}}}]} | Init:ExitCode:2",
            "init done | {'phase':'Running','initContainerStatuses':[{'name':'i','ready':true,'restartCount':0,'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}],'containerStatuses':[{'name':'c','ready':true,'restartCount':0,'state':{'running':{}}}]} | Running"})
    void initContainersShowProgress(String name, String status, String reason) {
        ObjectNode pod = json("{" + META + ",'spec':{'initContainers':[{'name':'i','image':'x'}],'containers':[{'name':'c','image':'x'}]},'status':" + status + "}");
        assertThat(PodPrinter.row(pod, NOW).get(2)).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"Running | Terminating", "Succeeded | Completed"})
    void deletionShowsTerminatingUnlessFinished(String phase, String reason) {
        String terminated = phase.equals("Succeeded") ? ",'containerStatuses':[{'name':'c','state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]" : "";
        ObjectNode pod = json("{'metadata':{'name':'web','creationTimestamp':'2026-01-01T00:00:00Z','deletionTimestamp':'2026-01-01T00:59:00Z'},"
                + "'spec':{'containers':[{'name':'c','image':'x'}]},'status':{'phase':'" + phase + "'" + terminated + "}}");
        assertThat(PodPrinter.row(pod, NOW).get(2)).isEqualTo(reason);
    }

    @org.junit.jupiter.api.Test
    void wideColumnsShowIpNodeAndGates() {
        ObjectNode pod = json("{" + META + ",'spec':{'nodeName':'n1','readinessGates':[{'conditionType':'x/ready'}],"
                + "'containers':[{'name':'c','image':'x'}]},'status':{'phase':'Running','podIPs':[{'ip':'10.244.0.7'}],"
                + "'conditions':[{'type':'x/ready','status':'True'}]}}");
        assertThat(PodPrinter.row(pod, NOW).subList(5, 9)).containsExactly("10.244.0.7", "n1", "<none>", "1/1");
        assertThat(TestJson.strategy("", "pods").columns().stream().map(c -> c.name()).toList())
                .containsExactly("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates");
    }
}
