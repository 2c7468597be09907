package org.labcontroller.runtime.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * A guest kernel panic shows as a failed lab with a reason in plain words. The demo guest's kernel
 * has no pvpanic driver built in (it is a module the initramfs does not load: its panic never
 * reaches QEMU), so a stand-in process answers QMP with the state a pvpanic device with {@code
 * -action panic=pause} leaves QEMU in; QemuCommandTest checks that the command line asks for it,
 * and every real boot proves QEMU accepts it.
 */
class QemuPanicTest {
    private QemuFixture fixture;
    private QemuRuntime runtime;
    private Process standIn;
    private ServerSocketChannel qmp;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new QemuFixture();
        runtime = fixture.runtime();
    }

    @AfterEach
    void tearDown() throws RuntimeFailure, IOException {
        if (qmp != null) {
            qmp.close();
        }
        fixture.cleanUp(runtime);
        if (standIn != null) {
            standIn.getOutputStream().close();
        }
    }

    @Test
    void guestKernelPanicIsReportedAsACrashInPlainWords() throws Exception {
        VmSpec spec = fixture.spec("panic", QemuFixture.kernelImage());
        VmDirectory vm = VmDirectory.of(fixture.stateDir, spec.labId());
        vm.create();
        // A live process carrying the lab's -name, as QemuProcess recognises a lab's QEMU; the shell
        // waits on its stdin (a builtin, no child process) until the runtime's delete kills it.
        standIn = new ProcessBuilder("sh", "-c", "read line", vm.processName()).start();
        vm.recordLaunch(standIn.pid(), false, false, 0);
        serveQmp(vm, "guest-panicked");

        assertEquals(new VmStatus(spec.labId(), Phase.FAILED, "The lab's operating system crashed (kernel panic).", 0),
                runtime.observe(spec.labId()));
    }

    /** A QMP server on the lab's socket that reports {@code state} to every query-status. */
    private void serveQmp(VmDirectory vm, String state) throws IOException {
        qmp = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        qmp.bind(UnixDomainSocketAddress.of(vm.qmpSocket()));
        // NOTE: one virtual thread owns the server and each connection in turn; closing the server
        // in tearDown ends it.
        Thread.ofVirtual().name("fake-qmp").start(() -> {
            while (qmp.isOpen()) {
                try (SocketChannel client = qmp.accept()) {
                    OutputStream out = Channels.newOutputStream(client);
                    BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                            StandardCharsets.UTF_8));
                    out.write("{\"QMP\": {\"version\": {}, \"capabilities\": []}}\n".getBytes(StandardCharsets.UTF_8));
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        String reply = line.contains("query-status")
                                ? "{\"return\": {\"status\": \"" + state + "\", \"running\": false}}\n"
                                : "{\"return\": {}}\n";
                        out.write(reply.getBytes(StandardCharsets.UTF_8));
                    }
                } catch (IOException closed) {
                    // the client left, or tearDown closed the server
                }
            }
        });
    }
}
