package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import org.labcontroller.runtime.RuntimeFailure;

/**
 * How a lab's QEMU is held to least privilege: a seccomp sandbox that denies obsolete system calls,
 * spawning processes and resource control, and, when the controller runs as root, an unprivileged
 * system user ({@code lab.qemu.user}) that QEMU switches to once it has opened the lab's files and
 * sockets. Exists because every student is root inside their lab, so QEMU is the next wall.
 *
 * <p>QEMU installs its seccomp filter before it switches user, so {@code elevateprivileges=deny}
 * would kill it at its own {@code setuid}; with a user switch that option is left at QEMU's
 * default. Once switched QEMU has no capabilities and the same real, effective and saved user, so
 * it cannot become root again. A controller that is not root needs no switch and gets the full
 * deny list. The lab's files stay the controller's (mode 0600/0700); QEMU reads them through the
 * descriptors it opened before the switch, so the QEMU user reads no lab's files by path.
 */
final class Confinement {
    static final String SANDBOX = "on,obsolete=deny,spawn=deny,resourcecontrol=deny";

    private final String user;
    private final boolean runWith;

    private Confinement(String user, boolean runWith) {
        this.user = user;
        this.runWith = runWith;
    }

    /** No user switch: the controller is not root, so QEMU runs as the controller's own user. */
    static Confinement asController() {
        return new Confinement(null, false);
    }

    /** QEMU switches to {@code user}; {@code runWith} for QEMU 9.1+, which replaced {@code -runas}. */
    static Confinement as(String user, boolean runWith) {
        return new Confinement(user, runWith);
    }

    /**
     * The confinement for this controller: a switch to {@code user} when it runs as root, none
     * otherwise.
     *
     * @throws RuntimeFailure when the controller is root and the user does not exist: QEMU would
     *                        run as root, so no lab starts until the user is created
     */
    static Confinement detect(String user, QemuVersion version) throws RuntimeFailure {
        if (!controllerIsRoot()) {
            return asController();
        }
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
        } catch (UserPrincipalNotFoundException e) {
            throw new RuntimeFailure("The controller runs as root but the system user '" + user + "' that QEMU"
                    + " runs as does not exist; create it (scripts/run.sh does: useradd --system " + user + ").");
        } catch (IOException e) {
            throw new RuntimeFailure("Cannot look up the system user '" + user + "': " + e.getMessage(), e);
        }
        return as(user, version.atLeast(9, 1));
    }

    static boolean controllerIsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The user QEMU switches to; null when it runs as the controller's user. */
    String user() {
        return user;
    }

    /** The QEMU options: the sandbox and the user switch. */
    List<String> args() {
        List<String> argv = new ArrayList<>();
        if (user == null) {
            argv.addAll(List.of("-sandbox", SANDBOX + ",elevateprivileges=deny"));
            return argv;
        }
        argv.addAll(List.of("-sandbox", SANDBOX));
        argv.addAll(runWith ? List.of("-run-with", "user=" + user) : List.of("-runas", user));
        return argv;
    }
}
