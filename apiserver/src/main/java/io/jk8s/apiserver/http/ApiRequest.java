package io.jk8s.apiserver.http;

import io.jk8s.apiserver.auth.UserInfo;
import io.netty.handler.codec.http.HttpHeaders;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request, fully read, detached from Netty buffers (safe to use on any thread).
 *
 * @param path        decoded path without query string
 * @param query       decoded query parameters
 * @param peerCerts   verified-by-nobody client certificate chain from TLS (empty on plain HTTP)
 * @param user        the authenticated user, null until authentication ran
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, HttpHeaders headers,
                         byte[] body, List<X509Certificate> peerCerts, boolean secure, UserInfo user) {

    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public boolean flag(String name) {
        String v = param(name);
        return v != null && (v.equals("true") || v.equals("1"));
    }

    public String header(String name) {
        return headers.get(name);
    }

    public ApiRequest withUser(UserInfo u) {
        return new ApiRequest(method, path, query, headers, body, peerCerts, secure, u);
    }
}
