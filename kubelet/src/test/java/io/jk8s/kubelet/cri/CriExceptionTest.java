package io.jk8s.kubelet.cri;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CriExceptionTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "NOT_FOUND, NOT_FOUND",
            "ALREADY_EXISTS, ALREADY_EXISTS",
            "INVALID_ARGUMENT, INVALID",
            "FAILED_PRECONDITION, INVALID",
            "UNIMPLEMENTED, INVALID",
            "DEADLINE_EXCEEDED, TIMEOUT",
            "UNAVAILABLE, UNAVAILABLE",
            "INTERNAL, RUNTIME_ERROR"})
    void mapsGrpcCodes(Status.Code code, CriException.Kind kind) {
        CriException e = CriException.from("StartContainer", Status.fromCode(code).withDescription("x").asRuntimeException());
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.operation()).isEqualTo("StartContainer");
        assertThat(e.getMessage()).startsWith("StartContainer: " + kind);
    }

    @Test
    void treatsContainerdUnknownNotFoundAsNotFound() {
        CriException e = CriException.from("ContainerStatus", Status.UNKNOWN
                .withDescription("an error occurred when try to find container \"abc\": not found").asRuntimeException());
        assertThat(e.isNotFound()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"unix:///run/c.sock, /run/c.sock", "unix:/run/c.sock, /run/c.sock", "/run/c.sock, /run/c.sock"})
    void parsesRuntimeEndpoints(String endpoint, String path) {
        assertThat(CriClient.socketPath(endpoint)).isEqualTo(Path.of(path));
    }
}
