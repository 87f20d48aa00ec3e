package io.jk8s.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerOptionsTest {

    private static ServerOptions parse(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.options;
    }

    @Test
    void defaultsFollowK3sAndKubeadm() {
        ServerOptions options = parse();
        assertThat(options.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(options.httpsPort()).isEqualTo(6443);
        assertThat(options.etcdEndpoints()).isEmpty();
        assertThat(options.clusterCidr()).isEqualTo("10.244.0.0/16");
        assertThat(options.serviceCidr()).isEqualTo("10.96.0.0/12");
        assertThat(options.dataDir().root()).isEqualTo(DataDir.defaultRoot().toAbsolutePath());
    }

    @Test
    void etcdEndpointsAreACommaList() {
        assertThat(parse("--etcd-endpoints", "http://a:2379,http://b:2379").etcdEndpoints())
                .containsExactly("http://a:2379", "http://b:2379");
    }

    @Test
    void dataDirLayoutMatchesK3s() {
        DataDir dir = parse("--data-dir", "/srv/jk8s").dataDir();
        assertThat(dir.sqliteDatabase()).isEqualTo(Path.of("/srv/jk8s/server/db/state.db"));
        assertThat(dir.tls()).isEqualTo(Path.of("/srv/jk8s/server/tls"));
        assertThat(dir.adminKubeconfig()).isEqualTo(Path.of("/srv/jk8s/admin.kubeconfig"));
    }

    @Test
    void disableAgentIsAccepted() {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs("--disable-agent");
        assertThat(command.disableAgent).isTrue();
    }
}
