package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.labcontroller.runtime.VmNetwork;

/**
 * The network card a restored lab is still to get. A saved state holds no card, so a restore plugs
 * the lab's own ({@link LabIdentity#plug}) right after it runs; this record, written before the
 * restore is launched and removed once the card is in, lets an observer plug it when the controller
 * died in between, so such a lab does not run without its network and identity until restarted.
 */
final class PendingCard {
    private static final Logger LOG = Logger.getLogger(PendingCard.class);
    static final String FILE = "card.pending";
    /** How old a record is before an observer acts: a live controller plugs within milliseconds of its cont. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private PendingCard() {
    }

    /** Records that the lab's card is to be plugged after its restore (nothing for a lab without one). */
    static void record(VmDirectory vm, VmNetwork mode) throws IOException {
        if (mode != VmNetwork.NONE) {
            Files.writeString(file(vm), mode.value());
        }
    }

    /**
     * Plugs the lab's card and removes the record. A card plugged already (an observer was first,
     * or a controller died after plugging but before removing the record) is QEMU's "Duplicate ID":
     * the card is in, so that is no failure.
     */
    static void plug(QmpSessions qmp, VmDirectory vm, VmNetwork mode) throws IOException {
        try {
            LabIdentity.of(vm.labId()).plug(qmp, vm, mode);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("Duplicate")) {
                throw e;
            }
        }
        Files.deleteIfExists(file(vm));
    }

    /**
     * Plugs the card of a running machine whose restore a dead controller left without it; a
     * failure is tried again at the next look.
     *
     * <p>NOTE: the record's age is read against the system clock, the one file times are written
     * with; the grace keeps this off a restore this controller is carrying out right now.
     */
    static void plugLeftOver(QmpSessions qmp, VmDirectory vm) {
        Path record = file(vm);
        try {
            if (!Files.exists(record) || Files.getLastModifiedTime(record).toInstant().plus(GRACE).isAfter(Instant.now())) {
                return;
            }
            Optional<VmNetwork> mode = VmNetwork.parse(Files.readString(record).trim());
            if (mode.isEmpty()) {
                Files.deleteIfExists(record);
                return;
            }
            plug(qmp, vm, mode.get());
            LOG.infof("Lab %s was restored without its network card (a controller stopped meanwhile); plugged it", vm.labId());
        } catch (IOException e) {
            LOG.debugf("Lab %s: its network card could not be plugged yet: %s", vm.labId(), e.getMessage());
        }
    }

    private static Path file(VmDirectory vm) {
        return vm.dir().resolve(FILE);
    }
}
