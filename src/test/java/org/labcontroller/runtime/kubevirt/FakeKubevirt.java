package org.labcontroller.runtime.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes API with KubeVirt's pieces for tests: fabric8's mock server in CRUD mode for objects,
 * plus what KubeVirt's virt-api adds: the VM restart action (it deletes the instance, as KubeVirt
 * does) and console/VNC websockets (a console that echoes, a screen that speaks the start of RFB).
 * Every request the adapter sends is recorded; the test plays KubeVirt's controllers through
 * {@link #kubevirt()}, whose requests are not recorded.
 */
final class FakeKubevirt implements AutoCloseable {
    /** The labs' namespace of deploy/base, so that its RoleBindings apply as deployed. */
    static final String NAMESPACE = "lab-controller-labs";
    /** The controller's namespace of deploy/base, where its Lease lives. */
    static final String CONTROLLER_NAMESPACE = "lab-controller";
    static final String RFB_VERSION = "RFB 003.008\n";
    private static final String KUBEVIRT_AGENT = "kubevirt-simulator";
    private static final Pattern VM_ACTION = Pattern.compile(
            "/apis/subresources\\.kubevirt\\.io/v1/namespaces/([^/]+)/virtualmachines/([^/]+)/(start|stop|restart)");
    private static final Pattern VMI_STREAM = Pattern.compile(
            "/apis/subresources\\.kubevirt\\.io/v1/namespaces/([^/]+)/virtualmachineinstances/([^/]+)/(console|vnc)");
    private static final Pattern VMI_SCREENSHOT = Pattern.compile(
            "/apis/subresources\\.kubevirt\\.io/v1/namespaces/([^/]+)/virtualmachineinstances/([^/]+)/vnc/screenshot");

    static {
        allowKubevirtSubprotocol();
    }

    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final Object patches = new Object();
    private final KubernetesMockServer server;
    private final List<RbacRules.ApiCall> calls = new CopyOnWriteArrayList<>();
    private final List<String> restarts = new CopyOnWriteArrayList<>();
    private final Map<String, ByteArrayOutputStream> streamInput = new ConcurrentHashMap<>();
    private final AtomicInteger streamsOpened = new AtomicInteger();
    private final AtomicInteger streamsOpen = new AtomicInteger();
    private volatile int failWith;
    private KubernetesClient adapterClient;
    private KubernetesClient kubevirtClient;

    FakeKubevirt() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handle(request);
            }
        }, false);
        server.init();
    }

    /** The client the adapter uses; its requests are recorded. */
    KubernetesClient client() {
        if (adapterClient == null) {
            adapterClient = server.createClient();
        }
        return adapterClient;
    }

    /** A second client, standing for KubeVirt's own controllers. */
    KubernetesClient kubevirt() {
        if (kubevirtClient == null) {
            Config config = new ConfigBuilder(client().getConfiguration()).withUserAgent(KUBEVIRT_AGENT).build();
            kubevirtClient = new KubernetesClientBuilder().withConfig(config).build();
        }
        return kubevirtClient;
    }

    /** Every request the adapter made so far (method and path with query). */
    List<RbacRules.ApiCall> calls() {
        return List.copyOf(calls);
    }

    List<String> restarts() {
        return List.copyOf(restarts);
    }

    /** What the adapter wrote into a stream of an instance, as text. */
    String streamInput(String vmiName, String stream) {
        ByteArrayOutputStream bytes = streamInput.get(vmiName + "/" + stream);
        return bytes == null ? "" : bytes.toString(StandardCharsets.UTF_8);
    }

    /** How many console or VNC websockets the server accepted so far. */
    int streamsOpened() {
        return streamsOpened.get();
    }

    /** How many console or VNC websockets are open on the server now. */
    int streamsOpen() {
        return streamsOpen.get();
    }

    /** From now on, every adapter request answers this HTTP status (0: normal service again). */
    void failEveryRequestWith(int status) {
        failWith = status;
    }

    GenericKubernetesResource vm(String name) {
        return kubevirt().genericKubernetesResources(KubevirtObjects.VM).inNamespace(NAMESPACE).withName(name).get();
    }

    GenericKubernetesResource vmi(String name) {
        return kubevirt().genericKubernetesResources(KubevirtObjects.VMI).inNamespace(NAMESPACE).withName(name).get();
    }

    /** Sets a VM's status the way virt-controller does. */
    /** What KubeVirt sets on create (the firmware's identity) and an admin adds (a toleration). */
    void addClusterFields(String name) {
        kubevirt().genericKubernetesResources(KubevirtObjects.VM).inNamespace(NAMESPACE).withName(name)
                .patch(PatchContext.of(PatchType.JSON), kubevirt().getKubernetesSerialization().asJson(List.of(
                        Map.of("op", "add", "path", "/spec/template/spec/domain/firmware",
                                "value", Map.of("uuid", "5d307ca9-b3ef-428c-8861-06e72d69f223", "serial", "lab-serial")),
                        Map.of("op", "add", "path", "/spec/template/spec/tolerations",
                                "value", List.of(Map.of("key", "labs", "operator", "Exists"))))));
    }

    /** A finalizer, as KubeVirt puts on its VMs: a DELETE then only marks the VM as going. */
    void addFinalizer(String name) {
        kubevirt().genericKubernetesResources(KubevirtObjects.VM).inNamespace(NAMESPACE).withName(name)
                .patch(PatchContext.of(PatchType.JSON), kubevirt().getKubernetesSerialization()
                        .asJson(List.of(Map.of("op", "add", "path", "/metadata/finalizers", "value", List.of("kubevirt.io/test")))));
    }

    void setVmStatus(String name, String printableStatus, Map<String, Object> condition) {
        Map<String, Object> status = new HashMap<>();
        status.put("printableStatus", printableStatus);
        if (condition != null) {
            status.put("conditions", List.of(condition));
        }
        kubevirt().genericKubernetesResources(KubevirtObjects.VM).inNamespace(NAMESPACE).withName(name)
                .patch(PatchContext.of(PatchType.JSON), kubevirt().getKubernetesSerialization()
                        .asJson(List.of(Map.of("op", "add", "path", "/status", "value", status))));
    }

    /** Sets the VM's status as KubeVirt's controller does once it processed a run strategy. */
    void setVmRunStatus(String name, String printableStatus, String runStrategy) {
        Map<String, Object> status = new HashMap<>();
        status.put("printableStatus", printableStatus);
        status.put("runStrategy", runStrategy);
        kubevirt().genericKubernetesResources(KubevirtObjects.VM).inNamespace(NAMESPACE).withName(name)
                .patch(PatchContext.of(PatchType.JSON), kubevirt().getKubernetesSerialization()
                        .asJson(List.of(Map.of("op", "add", "path", "/status", "value", status))));
    }

    /** Creates (or replaces) the VM's instance from its template, in the given phase. */
    void runInstance(String name, String phase, Map<String, Object> condition) {
        GenericKubernetesResource vm = vm(name);
        GenericKubernetesResource vmi = new GenericKubernetesResource();
        vmi.setApiVersion("kubevirt.io/v1");
        vmi.setKind("VirtualMachineInstance");
        vmi.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE)
                .withLabels(vm.get("spec", "template", "metadata", "labels")).build());
        vmi.setAdditionalProperty("spec", vm.get("spec", "template", "spec"));
        Map<String, Object> status = new HashMap<>(Map.of("phase", phase));
        if (condition != null) {
            status.put("conditions", List.of(condition));
        }
        vmi.setAdditionalProperty("status", status);
        kubevirt().genericKubernetesResources(KubevirtObjects.VMI).inNamespace(NAMESPACE).resource(vmi).createOr(op -> op.update());
    }

    void removeInstance(String name) {
        kubevirt().genericKubernetesResources(KubevirtObjects.VMI).inNamespace(NAMESPACE).withName(name).delete();
    }

    private MockResponse handle(RecordedRequest request) {
        if (!KUBEVIRT_AGENT.equals(request.getHeader("User-Agent"))) {
            calls.add(new RbacRules.ApiCall(request.getMethod(), request.getPath()));
            if (failWith != 0) {
                return new MockResponse().setResponseCode(failWith).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"message\":\"injected by the test\",\"code\":" + failWith + "}");
            }
        }
        String path = request.getPath().split("\\?")[0];
        Matcher action = VM_ACTION.matcher(path);
        if (action.matches() && "PUT".equals(request.getMethod())) {
            if ("restart".equals(action.group(3))) {
                restarts.add(action.group(2));
                crud.handleDelete("/apis/kubevirt.io/v1/namespaces/" + action.group(1) + "/virtualmachineinstances/" + action.group(2));
            }
            return new MockResponse().setResponseCode(202);
        }
        Matcher screenshot = VMI_SCREENSHOT.matcher(path);
        if (screenshot.matches() && "GET".equals(request.getMethod())) {
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "image/png")
                    .setBody(screen(screenshot.group(2)));
        }
        Matcher stream = VMI_STREAM.matcher(path);
        if (stream.matches()) {
            return new MockResponse().withWebSocketUpgrade(new GuestStream(stream.group(2) + "/" + stream.group(3)));
        }
        if ("PATCH".equals(request.getMethod()) && body(request).contains("\"test\"")) {
            synchronized (patches) { // NOTE: test and patch as one step, as the API server's update does
                if (!testsHold(path, body(request))) {
                    return new MockResponse().setResponseCode(422).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                            + "\"status\":\"Failure\",\"reason\":\"Invalid\",\"message\":\"the patch's test failed\",\"code\":422}");
                }
                return crud.dispatch(request);
            }
        }
        return crud.dispatch(request);
    }

    /** The request's body, left in place for the dispatcher (reading the buffer would empty it). */
    private static String body(RecordedRequest request) {
        return request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    }

    /**
     * Whether every {@code test} operation of a JSON patch holds on the object now: the mock server
     * itself fails such a patch without answering, where the API server refuses it whole with 422.
     */
    private boolean testsHold(String path, String patch) {
        MockResponse current = crud.handleGet(path);
        if (current.code() != 200) {
            return true; // the dispatcher answers 404 itself
        }
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var object = mapper.readTree(current.getBody().readUtf8());
            for (var op : mapper.readTree(patch)) {
                if ("test".equals(op.path("op").asText()) && !object.at(op.path("path").asText()).equals(op.path("value"))) {
                    return false;
                }
            }
            return true;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every VM in the labs' namespace, as KubeVirt's controllers see them. */
    List<GenericKubernetesResource> vms() {
        return kubevirt().genericKubernetesResources(KubevirtObjects.VM).inNamespace(NAMESPACE).list().getItems();
    }

    /** Plays virt-controller for one VM: its instance runs (and, with {@code condition}, reports it). */
    void run(String name, Map<String, Object> condition) {
        setVmStatus(name, "Running", null);
        runInstance(name, "Running", condition);
    }

    /** The PNG the fake virt-handler answers for an instance's screen: 64x48, the name's hash as its colour. */
    static byte[] screen(String vmiName) {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, vmiName.hashCode() & 0xffffff);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", png);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    /** The guest end of a stream: the console echoes what it gets, the screen opens with RFB's version. */
    private final class GuestStream extends WebSocketListener {
        private final String key;
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        GuestStream(String key) {
            this.key = key;
        }

        @Override
        public void onOpen(WebSocket ws, io.fabric8.mockwebserver.http.Response response) {
            streamsOpened.incrementAndGet();
            streamsOpen.incrementAndGet();
            ws.send((key.endsWith("/vnc") ? RFB_VERSION : "login: ").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void onMessage(WebSocket ws, byte[] bytes) {
            streamInput.computeIfAbsent(key, k -> new ByteArrayOutputStream()).writeBytes(bytes);
            if (key.endsWith("/console")) {
                ws.send(bytes);
            } else if (new String(bytes, StandardCharsets.US_ASCII).startsWith("RFB")) {
                ws.send(new byte[] {1, 1}); // one security type: None
            }
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            ended();
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            ended();
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, io.fabric8.mockwebserver.http.Response response) {
            ended();
        }

        private void ended() {
            if (ended.compareAndSet(false, true)) {
                streamsOpen.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        if (kubevirtClient != null) {
            kubevirtClient.close();
        }
        if (adapterClient != null) {
            adapterClient.close();
        }
        server.destroy();
    }

    /**
     * NOTE: fabric8's mock server only negotiates Kubernetes' channel subprotocols; KubeVirt's
     * virt-api speaks {@code plain.kubevirt.io}, which the client insists on. The server reads its
     * list when it starts, so the unused v1 channel protocol is swapped for KubeVirt's once per JVM.
     */
    private static synchronized void allowKubevirtSubprotocol() {
        try {
            Field field = MockWebServer.class.getDeclaredField("SUPPORTED_WEBSOCKET_SUB_PROTOCOLS");
            field.setAccessible(true);
            String[] protocols = (String[]) field.get(null);
            if (!List.of(protocols).contains(KubevirtSubresources.PLAIN_SUBPROTOCOL)) {
                protocols[0] = KubevirtSubresources.PLAIN_SUBPROTOCOL;
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The mock server's websocket subprotocols cannot be extended", e);
        }
    }
}
