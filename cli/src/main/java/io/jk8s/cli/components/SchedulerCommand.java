package io.jk8s.cli.components;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.scheduler.Scheduler;
import io.jk8s.scheduler.SchedulerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code jk8s scheduler}: the scheduler alone, as kube-scheduler (several may run; a Lease picks the active one). */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "Run the scheduler alone against an API server (leader-elected).")
public final class SchedulerCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws Exception {
        KubernetesClient c = client.client();
        Scheduler scheduler = new Scheduler(c, SchedulerConfig.defaults());
        return Foreground.run("scheduler", scheduler.start(), c, scheduler);
    }
}
