package io.jk8s.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.apiserver.auth.Authenticator;
import io.jk8s.apiserver.auth.Authorizer;
import io.jk8s.apiserver.auth.AnonymousAuthenticator;
import io.jk8s.apiserver.auth.ClientCertAuthenticator;
import io.jk8s.apiserver.auth.rbac.Rbac;
import io.jk8s.apiserver.discovery.OpenApiDocuments;
import io.jk8s.apiserver.http.ApiHandler;
import io.jk8s.apiserver.http.HttpChannelHandler;
import io.jk8s.apiserver.http.ResourceHandler;
import io.jk8s.apiserver.http.TlsContexts;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.proxy.PodStreams;
import io.jk8s.apiserver.render.Renderer;
import io.jk8s.apiserver.storage.ListService;
import io.jk8s.apiserver.storage.NamespaceFinalizer;
import io.jk8s.apiserver.storage.ObjectCodec;
import io.jk8s.apiserver.storage.ResourceStorage;
import io.jk8s.apiserver.storage.Subresources;
import io.jk8s.apiserver.watch.CacheHub;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.ResourceRegistry;
import io.jk8s.store.KeyValue;
import io.jk8s.store.Store;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes API server: HTTP/1.1 (+TLS with client certificates) on Netty, one generic REST
 * storage for every registered kind over the {@link Store}, a watch cache, discovery and Table output.
 *
 * <p>Request handling runs on virtual threads (one per request); watches are written from the
 * watch cache's dispatcher without a thread per watcher. {@link #start()} completes once the port
 * is bound, the caches are primed and the system namespaces exist.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /**
     * Most recent events each resource type keeps for watches resuming from a resourceVersion; within it the
     * history is upstream's window: the last 75 s of events, at least 100 (WatchCache).
     */
    static final int WATCH_RING_CAPACITY = 10_000;
    private static final long BOOKMARK_INTERVAL_MS = 60_000;
    private static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;
    private static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final ApiServerConfig config;
    private final Store store;
    private final ResourceRegistry registry;
    private final List<Authenticator> authenticators;
    private final Authorizer authorizer;
    private final Rbac rbac;
    private final Clock clock;
    private final CacheHub cache;
    private final ResourceStorage storage;
    private final NamespaceFinalizer namespaceFinalizer;
    private final ExecutorService requestExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private volatile boolean ready;
    private io.jk8s.apiserver.auth.serviceaccount.ServiceAccountTokens serviceAccountTokens;
    private volatile int port;

    public ApiServer(ApiServerConfig config, Store store, ResourceRegistry registry) {
        this(config, store, registry, List.of(), Authorizer.allowAuthenticated(), Clock.systemUTC());
    }

    /**
     * @param extraAuthenticators consulted after client certificates (e.g. bearer tokens)
     * @param authorizer          decides on every authenticated request
     */
    public ApiServer(ApiServerConfig config, Store store, ResourceRegistry registry,
                     List<Authenticator> extraAuthenticators, Authorizer authorizer, Clock clock) {
        this.config = config;
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        List<Authenticator> auth = new ArrayList<>();
        List<X509Certificate> clientCas = clientCas();
        if (!clientCas.isEmpty()) auth.add(new ClientCertAuthenticator(clientCas));
        // Bootstrap tokens are always on (jk8s agent joins with them); other bearer tokens pass through.
        auth.add(new io.jk8s.apiserver.auth.BootstrapTokenAuthenticator(store, clock));
        auth.addAll(extraAuthenticators);
        this.authenticators = auth;
        Set<String> groupResources = new LinkedHashSet<>();
        for (KindStrategy s : registry.all()) groupResources.add(s.type().groupResource());
        this.cache = new CacheHub(store, groupResources, WATCH_RING_CAPACITY);
        this.storage = new ResourceStorage(store, cache, clock, config.serviceNetwork());
        this.namespaceFinalizer = new NamespaceFinalizer(store, storage, registry);
        this.rbac = authorizer == Authorizer.RBAC ? new Rbac(cache, storage, registry) : null;
        this.authorizer = rbac != null ? rbac.authorizer() : authorizer;
        if (rbac != null) auth.add(new AnonymousAuthenticator()); // last: no credentials at all = system:anonymous
    }

    /**
     * Turns on service-account tokens (kube-apiserver's {@code --service-account-*} flags): JWT bearer
     * authentication, {@code serviceaccounts/token} and the pod token volume. Call before {@link #start()}.
     */
    public ApiServer withServiceAccountTokens(io.jk8s.apiserver.auth.serviceaccount.ServiceAccountTokens tokens) {
        this.serviceAccountTokens = tokens;
        // Right after bootstrap tokens, before other bearer authenticators that reject tokens they do not know.
        int at = 0;
        while (!(authenticators.get(at) instanceof io.jk8s.apiserver.auth.BootstrapTokenAuthenticator)) at++;
        authenticators.add(at + 1, new io.jk8s.apiserver.auth.serviceaccount.ServiceAccountTokenAuthenticator(tokens, store, clock));
        return this;
    }

    private List<X509Certificate> clientCas() {
        if (config.clientCaFile() == null) return List.of();
        try {
            return TlsContexts.readCertificates(config.clientCaFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Binds the port, primes the watch cache and creates the system namespaces. */
    public CompletableFuture<Void> start() {
        return cache.start(BOOKMARK_INTERVAL_MS)
                .thenRunAsync(this::createSystemNamespaces, requestExecutor)
                .thenRunAsync(this::reconcileRbacPolicy, requestExecutor)
                .thenRunAsync(this::resumeNamespaceFinalization, requestExecutor)
                .thenRunAsync(this::bind, requestExecutor)
                .thenRunAsync(this::publishKubernetesService, requestExecutor)
                .thenRun(() -> {
                    ready = true;
                    log.info("API server serving on {}:{} ({})", config.bindAddress(), port,
                            config.tlsCertFile() == null ? "plain HTTP" : "TLS");
                });
    }

    private void bind() {
        SslContext ssl;
        try {
            ssl = config.tlsCertFile() == null ? null
                    : TlsContexts.server(config.tlsCertFile(), config.tlsKeyFile(), clientCas());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Renderer renderer = new Renderer(clock);
        ResourceHandler resources = new ResourceHandler(storage, new ListService(store, cache),
                new Subresources(storage, clock), cache, renderer, namespaceFinalizer,
                new PodStreams(storage, registry, config.kubeletClient()));
        // SelfSubjectReview (kubectl auth whoami) is answered with or without RBAC, TokenReview with service-account tokens.
        io.jk8s.apiserver.auth.CreateResponder reviews = new io.jk8s.apiserver.auth.SelfSubjectReviews();
        if (serviceAccountTokens != null) {
            reviews = reviews.or(new io.jk8s.apiserver.auth.serviceaccount.TokenReviews(serviceAccountTokens,
                    new io.jk8s.apiserver.auth.serviceaccount.ServiceAccountTokenAuthenticator(serviceAccountTokens, store, clock)));
        }
        if (rbac != null) resources.withWriteHooks(rbac.escalationGuard(), reviews.or(rbac.reviews()));
        else resources.withWriteHooks(io.jk8s.apiserver.auth.WriteGuard.NONE, reviews);
        if (serviceAccountTokens != null) {
            resources.withServiceAccountTokens(new io.jk8s.apiserver.auth.serviceaccount.TokenVolumeAdmission((ns, name) -> {
                        // The watch cache first (no store read per pod create); the store when the account is too new for it.
                        String key = "/registry/serviceaccounts/" + ns + "/" + name;
                        var cached = cache.get("serviceaccounts", key);
                        return cached != null ? java.util.Optional.of(cached.object()) : store.get(key).map(ObjectCodec::decode);
                    }),
                    new io.jk8s.apiserver.auth.serviceaccount.TokenRequests(serviceAccountTokens, store, clock));
        }
        OpenApiDocuments openApi = new OpenApiDocuments(registry);
        Thread.ofVirtual().name("openapi-warmup").start(() -> {
            try {
                openApi.warmUp();
            } catch (RuntimeException e) {
                log.warn("generating the OpenAPI documents failed", e);
            }
        });
        ApiHandler handler = new ApiHandler(authenticators, authorizer, registry, openApi,
                resources, () -> ready, () -> config.bindAddress() + ":" + port, caBundle());
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("keepalive", new HttpServerKeepAliveHandler());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES));
                        ch.pipeline().addLast("api", new HttpChannelHandler(handler, requestExecutor));
                    }
                });
        try {
            serverChannel = b.bind(new InetSocketAddress(config.bindAddress(), config.port())).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        }
        port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        if (serviceAccountTokens != null && serviceAccountTokens.issuer().startsWith("https://")) {
            // The jwks_uri needs the bound port, hence after the bind (a request in between sees a 404 for it).
            handler.withIssuerDiscovery(new io.jk8s.apiserver.auth.serviceaccount.IssuerDiscovery(serviceAccountTokens,
                    "https://" + externalHost() + ":" + port));
        }
    }

    /** Where other machines reach this server: the advertised address, else the bind address unless it is a wildcard. */
    private String externalHost() {
        String host = config.advertiseAddress() != null ? config.advertiseAddress() : config.bindAddress();
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) host = "127.0.0.1";
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The cluster CA served at {@code /cacerts} for joining agents (the client CA is the cluster CA). */
    private byte[] caBundle() {
        if (config.clientCaFile() == null) return null;
        try {
            return java.nio.file.Files.readAllBytes(config.clientCaFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void reconcileRbacPolicy() {
        if (rbac == null) return;
        long t = System.nanoTime();
        int changed = rbac.reconcileBootstrapPolicy();
        log.info("rbac: bootstrap policy reconciled, {} objects created or updated ({} ms)", changed,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
    }

    private void createSystemNamespaces() {
        KindStrategy namespaces = registry.byResource("", "v1", "namespaces")
                .orElseThrow(() -> new IllegalStateException("the registry has no namespaces"));
        for (String name : SYSTEM_NAMESPACES) {
            if (store.get("/registry/namespaces/" + name).isPresent()) continue;
            var ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
            ns.putObject("metadata").put("name", name);
            try {
                storage.create(namespaces, null, ns, false);
            } catch (ApiException e) {
                if (e.code() != 409) throw e;
            }
        }
    }

    /**
     * The {@code default/kubernetes} Service on the first address of the service range, and (when an
     * advertise address is known) its Endpoints and EndpointSlice pointing at this server, so that pods
     * reach the API as {@code https://kubernetes.default.svc}.
     */
    private void publishKubernetesService() {
        if (registry.byResource("", "v1", "services").isEmpty()) return; // a reduced registry (tests)
        String ip = config.serviceNetwork().serviceIp(1);
        var svc = Json.object().put("apiVersion", "v1").put("kind", "Service");
        var meta = svc.putObject("metadata").put("name", "kubernetes").put("namespace", "default");
        meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
        var spec = svc.putObject("spec").put("type", "ClusterIP").put("clusterIP", ip).put("sessionAffinity", "None");
        spec.putArray("clusterIPs").add(ip);
        spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP").put("targetPort", port);
        if (store.get("/registry/services/default/kubernetes").isEmpty()) {
            createIfAbsent("", "v1", "services", svc);
        }
        if (config.advertiseAddress() == null) return;
        var ep = Json.object().put("apiVersion", "v1").put("kind", "Endpoints");
        ep.putObject("metadata").put("name", "kubernetes").put("namespace", "default");
        var subset = ep.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", config.advertiseAddress());
        subset.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        replace("", "v1", "endpoints", ep);
        var slice = Json.object().put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice").put("addressType", "IPv4");
        slice.putObject("metadata").put("name", "kubernetes").put("namespace", "default")
                .putObject("labels").put("kubernetes.io/service-name", "kubernetes")
                .put("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
        var endpoint = slice.putArray("endpoints").addObject();
        endpoint.putArray("addresses").add(config.advertiseAddress());
        endpoint.putObject("conditions").put("ready", true);
        slice.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        replace("discovery.k8s.io", "v1", "endpointslices", slice);
    }

    private void createIfAbsent(String group, String version, String plural, ObjectNode obj) {
        KindStrategy s = registry.byResource(group, version, plural).orElse(null);
        if (s == null) return;
        try {
            storage.create(s, "default", obj, false);
        } catch (ApiException e) {
            if (e.code() != 409) throw e;
        }
    }

    /** Creates or overwrites (PUT without resourceVersion) a system-owned object. */
    private void replace(String group, String version, String plural, ObjectNode obj) {
        KindStrategy s = registry.byResource(group, version, plural).orElse(null);
        if (s == null) return;
        String name = obj.path("metadata").path("name").asText();
        try {
            storage.create(s, "default", obj.deepCopy(), false);
        } catch (ApiException e) {
            if (e.code() != 409) throw e;
            storage.update(s, "default", name, obj, ResourceStorage.Part.MAIN, false);
        }
    }

    private void resumeNamespaceFinalization() {
        for (KeyValue kv : store.range("/registry/namespaces/", null, 0, 0).kvs()) {
            if (ObjectCodec.decode(kv).path("metadata").hasNonNull("deletionTimestamp")) {
                namespaceFinalizer.finalizeLater(kv.key().substring("/registry/namespaces/".length()));
            }
        }
    }

    /** The bound port (useful when the configured port is 0). */
    public int port() {
        return port;
    }

    /** Number of open watches (for tests and metrics). */
    public int watchCount() {
        return cache.watcherCount();
    }

    /** Stops accepting, ends every watch, then closes connections. Does not close the store. */
    @Override
    public void close() {
        ready = false;
        try {
            if (serverChannel != null) serverChannel.close().syncUninterruptibly();
        } finally {
            namespaceFinalizer.close();
            cache.close();
            if (boss != null) boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            requestExecutor.shutdownNow();
        }
    }
}
