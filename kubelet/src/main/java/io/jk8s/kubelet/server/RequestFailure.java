package io.jk8s.kubelet.server;

/**
 * A request the kubelet server answers with an error status and a plain-text message, the way
 * upstream's kubelet writes {@code response.WriteError(code, err)}: the message is what kubectl
 * shows the user, so it names the pod, container or parameter at fault.
 */
final class RequestFailure extends RuntimeException {

    private final int status;

    RequestFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static RequestFailure badRequest(String message) {
        return new RequestFailure(400, message);
    }

    static RequestFailure notFound(String message) {
        return new RequestFailure(404, message);
    }

    int status() {
        return status;
    }
}
