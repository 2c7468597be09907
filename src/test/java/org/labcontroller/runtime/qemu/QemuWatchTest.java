package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/** observe(labId) reads one lab; watch() hears of every exit of a QEMU launched or adopted, once. */
class QemuWatchTest extends QemuLabTest {
    private static final Duration BOOT = Duration.ofSeconds(90);
    private final List<String> changed = new CopyOnWriteArrayList<>();



    private static void awaitPhase(QemuRuntime rt, String labId, Phase phase) {
        await(labId + " " + phase).atMost(BOOT).until(() -> {
            VmStatus status = rt.observe(labId);
            return status != null && status.phase() == phase;
        });
    }

    @Test
    void observingOneLabAnswersForThatLabOnly() throws Exception {
        String idle = fixture.labId("idle");
        Files.createDirectories(fixture.stateDir.resolve(idle)); // a lab directory, never launched
        assertEquals(new VmStatus(idle, Phase.STOPPED, null, 0), runtime.observe(idle));
        assertNull(runtime.observe(fixture.labId("unknown")));
        assertNull(runtime.observe("../" + idle));
        assertNull(runtime.observe(null));
    }

    @Test
    void killedQemuIsReportedToTheWatcherOnce() throws Exception {
        runtime.watch(changed::add);
        VmSpec spec = fixture.spec("killed", QemuFixture.kernelImage());
        runtime.start(spec);
        runtime.start(spec); // seen running again, still watched once
        awaitPhase(runtime, spec.labId(), Phase.RUNNING);
        for (int i = 0; i < 5; i++) {
            runtime.observe();
        }
        long pid = VmDirectory.of(fixture.stateDir, spec.labId()).launchedPid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL, as `kill -9` would

        await("the watcher hears of the exit").atMost(Duration.ofSeconds(10))
                .until(() -> changed.contains(spec.labId()));
        await("no second call for the same exit").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> changed.equals(List.of(spec.labId())));
    }

    @Test
    void qemuOfAnEarlierControllerIsWatchedOnceObserved() throws Exception {
        VmSpec spec = fixture.spec("adopted", QemuFixture.kernelImage());
        long pid = launchOutsideThisJvm(spec);
        assertNotEquals(ProcessHandle.current().pid(),
                ProcessHandle.of(pid).orElseThrow().parent().map(ProcessHandle::pid).orElse(-1L),
                "the QEMU must not be this JVM's child, as after a controller restart");

        runtime.watch(changed::add);
        awaitPhase(runtime, spec.labId(), Phase.RUNNING); // observe(labId) adopts it
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        // The JDK polls a process that is not its child (at most every 5 s).
        await("the watcher hears of the exit").atMost(Duration.ofSeconds(20))
                .until(() -> changed.equals(List.of(spec.labId())));
    }

    /** Starts the lab's QEMU as an orphan of a shell (as a controller that has since ended left it). */
    private long launchOutsideThisJvm(VmSpec spec) throws Exception {
        VmDirectory vm = VmDirectory.of(fixture.stateDir, spec.labId());
        vm.create();
        ImageFiles.Resolved image = new ImageFiles(QemuFixture.imageDir()).resolve(spec.image());
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "setsid \"$@\" </dev/null >/dev/null 2>&1 & echo $!", "sh"));
        argv.addAll(QemuCommand.forLab("qemu-system-x86_64", "tcg", spec, image, vm, null, null, Confinement.asController()));
        Process shell = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, shell.waitFor());
        long pid = Long.parseLong(out);
        vm.recordLaunch(pid, spec.console(), spec.vnc(), spec.restartGeneration());
        return pid;
    }
}
