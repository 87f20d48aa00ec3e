package io.jk8s.apiserver.http;

/** Serves one request; called on a virtual thread, one request at a time per connection. */
@FunctionalInterface
public interface RequestHandler {
    void handle(ApiRequest request, Responder responder);
}
