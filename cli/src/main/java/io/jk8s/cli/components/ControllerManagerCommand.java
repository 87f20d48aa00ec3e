package io.jk8s.cli.components;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.controllers.ControllerManager;
import io.jk8s.controllers.runtime.ControllerManagerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code jk8s controller-manager}: the controllers alone, as kube-controller-manager (leader-elected). */
@Command(name = "controller-manager", mixinStandardHelpOptions = true,
        description = "Run the controller manager alone against an API server (leader-elected).")
public final class ControllerManagerCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Override
    public Integer call() throws Exception {
        KubernetesClient c = client.client();
        ControllerManager manager = new ControllerManager(c, ControllerManagerConfig.defaults());
        return Foreground.run("controller-manager", manager.start(), c, manager);
    }
}
