package io.jk8s.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    @Test
    void versionNamesTheKubernetesVersion() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));

        int code = cli.execute("--version");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("jk8s version v0.1.0").contains("Kubernetes v1.32");
    }

    @Test
    void serverHelpListsTheFlags() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));

        int code = cli.execute("server", "--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("--data-dir", "--bind-address", "--https-port", "--etcd-endpoints",
                "--disable-agent", "--cluster-cidr", "--service-cidr");
    }

    @Test
    void unknownFlagIsAUsageError() {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));

        assertThat(cli.execute("server", "--no-such-flag")).isEqualTo(2);
    }
}
