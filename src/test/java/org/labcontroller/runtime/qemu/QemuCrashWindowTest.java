package org.labcontroller.runtime.qemu;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.labcontroller.it.QemuProcesses;
import org.labcontroller.runtime.VmSpec;

/**
 * A controller killed between starting a lab's QEMU and recording its pid (found by ClassBurstIT:
 * the next controller launched a second QEMU on the same disk): the launch is recorded before the
 * start, and the next start finds that QEMU through its own pid file instead of launching again.
 */
class QemuCrashWindowTest extends QemuLabTest {



    @Test
    void aQemuWhosePidWasNeverRecordedIsAdoptedNotLaunchedTwice() throws Exception {
        VmSpec spec = fixture.spec("window", QemuFixture.kernelImage());
        VmDirectory vm = VmDirectory.of(fixture.stateDir, spec.labId());
        vm.create();
        vm.recordLaunch(-1, spec.console(), spec.vnc(), spec.restartGeneration()); // what a launch writes first
        long pid = startOutsideThisJvm(spec, vm); // ... then the controller died before writing the pid
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(vm.pidFile()));

        runtime.start(spec);

        assertEquals(List.of(pid), QemuProcesses.all(spec.labId()), "the one QEMU was adopted");
        assertEquals(pid, vm.launchedPid(), "and its pid recorded");
    }

    private static long startOutsideThisJvm(VmSpec spec, VmDirectory vm) throws Exception {
        ImageFiles.Resolved image = new ImageFiles(QemuFixture.imageDir()).resolve(spec.image());
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "setsid \"$@\" </dev/null >/dev/null 2>&1 & echo $!", "sh"));
        argv.addAll(QemuCommand.forLab("qemu-system-x86_64", "tcg", spec, image, vm, null, null, Confinement.asController()));
        Process shell = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, shell.waitFor());
        return Long.parseLong(out);
    }
}
