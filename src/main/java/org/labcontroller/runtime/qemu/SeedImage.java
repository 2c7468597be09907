package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * The NoCloud seed a cloud image reads its user data from: an ISO 9660 image labelled
 * {@code cidata} with {@code user-data} and {@code meta-data}, built per lab by Debian's
 * {@code genisoimage} (or {@code xorriso}) and attached read-only. Exists because QEMU's
 * {@code vvfat} driver, which served the seed before, is not meant for untrusted guests. Best
 * effort for the guest: images without cloud-init ignore the disk.
 */
final class SeedImage {
    private static final List<List<String>> TOOLS = List.of(List.of("genisoimage"), List.of("xorriso", "-as", "mkisofs"));
    private final ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(30));

    /** Builds the lab's seed image; returns it, or null (and removes an old one) without user data. */
    Path write(VmDirectory vm, String userData) throws IOException, RuntimeFailure {
        Path image = vm.seedImage();
        Path dir = vm.dir().resolve("seed");
        deleteDir(dir);
        if (userData == null || userData.isBlank()) {
            Files.deleteIfExists(image);
            return null;
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("user-data"), userData);
        Files.writeString(dir.resolve("meta-data"), "instance-id: " + vm.processName() + "\nlocal-hostname: lab\n");
        Path tmp = vm.dir().resolve("seed.iso.tmp");
        try {
            List<String> argv = new ArrayList<>(tool());
            argv.addAll(List.of("-quiet", "-output", tmp.toString(), "-volid", "cidata", "-joliet", "-rock",
                    dir.resolve("user-data").toString(), dir.resolve("meta-data").toString()));
            ProcessRunner.Result result = runner.run("the cloud-init seed image", argv);
            if (!result.ok()) {
                throw new RuntimeFailure("Could not build the cloud-init seed image of lab " + vm.labId() + ": "
                        + result.output());
            }
            Files.move(tmp, image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return image;
        } finally {
            Files.deleteIfExists(tmp);
            deleteDir(dir);
        }
    }

    private static List<String> tool() throws RuntimeFailure {
        for (List<String> tool : TOOLS) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool.get(0)))) {
                    return tool;
                }
            }
        }
        throw RuntimeFailure.permanent("The template has cloud-init user data, but neither genisoimage nor xorriso"
                + " is installed to build its seed image (scripts/run.sh installs genisoimage).", null);
    }

    private static void deleteDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            for (String name : new String[] {"user-data", "meta-data"}) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.deleteIfExists(dir);
        }
    }
}
