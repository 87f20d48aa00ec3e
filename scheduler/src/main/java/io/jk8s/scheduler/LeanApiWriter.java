package io.jk8s.scheduler;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.jk8s.netty.KeepAliveHttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The scheduler's hot writes (binding, Scheduled event) as plain POSTs over {@link KeepAliveHttpClient}, from the
 * same fabric8 {@link Config} as the scheduler's client and authenticating the same way: TLS with the config's CA and
 * client certificate/key (fabric8's own {@link SSLUtils}), plus an {@code Authorization} header with its basic
 * credentials or else its bearer token (token provider, token, or the automatically read token — looked up per
 * request, as fabric8 does). Configs this
 * path does not reproduce (proxies, impersonation, custom headers, auth-provider plugins) are reported by
 * {@link #unsupported} and keep the fabric8 path.
 */
final class LeanApiWriter implements AutoCloseable {

    /** The connect/request timeout used when the config sets none (0); fabric8's defaults are 10 s. */
    private static final Duration NO_TIMEOUT = Duration.ofMinutes(5);

    private final KeepAliveHttpClient client;
    /** The master URL's path ("" for most), before every request path. */
    private final String pathPrefix;

    private LeanApiWriter(KeepAliveHttpClient client, String masterPath) {
        this.client = client;
        this.pathPrefix = masterPath == null ? "" : masterPath.replaceAll("/+$", "");
    }

    /** Why {@code config} needs the fabric8 path, or null when this writer reproduces its connection and credentials. */
    static String unsupported(Config config) {
        String url = config.getMasterUrl();
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
            return "master URL " + url;
        }
        if (config.getHttpProxy() != null || config.getHttpsProxy() != null) {
            return "an HTTP proxy is configured";
        }
        if (config.getImpersonateUsername() != null
                || (config.getImpersonateGroups() != null && config.getImpersonateGroups().length > 0)) {
            return "impersonation is configured";
        }
        if (config.getCustomHeaders() != null && !config.getCustomHeaders().isEmpty()) {
            return "custom headers are configured";
        }
        if (config.getAuthProvider() != null) {
            return "auth provider " + config.getAuthProvider().getName();
        }
        return null;
    }

    /** A writer for {@code config}; check {@link #unsupported} first. {@code maxConnections} bounds requests at once. */
    static LeanApiWriter forConfig(Config config, int maxConnections) {
        URI base = URI.create(config.getMasterUrl());
        SslContext ssl = null;
        if ("https".equalsIgnoreCase(base.getScheme())) {
            try {
                ssl = new JdkSslContext(SSLUtils.sslContext(config), true, ClientAuth.NONE);
            } catch (Exception e) {
                throw new KubernetesClientException("TLS settings of " + base + ": " + e.getMessage(), e);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (config.getUserAgent() != null && !config.getUserAgent().isEmpty()) {
            headers.put("User-Agent", config.getUserAgent());
        }
        boolean verifyHostname = !config.isTrustCerts() && !config.isDisableHostnameVerification();
        KeepAliveHttpClient client = new KeepAliveHttpClient(base, ssl, verifyHostname, headers, authorization(config),
                maxConnections, timeout(config.getConnectionTimeout()), timeout(config.getRequestTimeout()),
                "scheduler-api-writes");
        return new LeanApiWriter(client, base.getRawPath());
    }

    private static Duration timeout(int millis) {
        return millis > 0 ? Duration.ofMillis(millis) : NO_TIMEOUT;
    }

    /** fabric8's precedence: basic credentials, else the token provider's, the configured or the auto-read token. */
    private static Supplier<String> authorization(Config config) {
        return () -> {
            if (notEmpty(config.getUsername()) && notEmpty(config.getPassword())) {
                return "Basic " + Base64.getEncoder().encodeToString(
                        (config.getUsername() + ":" + config.getPassword()).getBytes(StandardCharsets.UTF_8));
            }
            String token = config.getOauthTokenProvider() != null ? config.getOauthTokenProvider().getToken()
                    : config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken();
            return notEmpty(token) ? "Bearer " + token : null;
        };
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    /**
     * POSTs the body to {@code path} (absolute, below the master URL's path).
     *
     * @throws KubernetesClientException on a non-2xx answer (code and parsed Status as the fabric8 path reports them)
     *                                   or when the request cannot be sent
     */
    void post(String path, SchedulerWriteBodies.Body body, String what) {
        ByteBuf buf = client.alloc().buffer(1024);
        try {
            SchedulerWriteBodies.write(body, new ByteBufOutputStream(buf));
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw new IllegalStateException("writing the body of " + what, e);
        }
        KeepAliveHttpClient.Response response;
        try {
            response = client.post(pathPrefix + path, "application/json", buf);
        } catch (IOException e) {
            throw new KubernetesClientException(what + " failed: " + e.getMessage(), e);
        }
        if (!response.isSuccess()) {
            throw Fabric8SchedulerApi.failure(what, response.status(), response.body());
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
