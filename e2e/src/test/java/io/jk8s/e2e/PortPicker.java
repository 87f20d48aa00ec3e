package io.jk8s.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Picks a free TCP port in the range the e2e suite is given (16443–16499). */
final class PortPicker {

    static final int FIRST = 16443;
    static final int LAST = 16499;

    private PortPicker() {
    }

    static int freePort() {
        int span = LAST - FIRST + 1;
        int offset = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = FIRST + (offset + i) % span;
            // The server binds 0.0.0.0, so probe the wildcard address.
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
                probe.setReuseAddress(true);
                return port;
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IllegalStateException("no free port in " + FIRST + "-" + LAST);
    }
}
