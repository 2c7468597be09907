package org.labcontroller.lab;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.labcontroller.runtime.VmSpec;

/** The loop's hooks for its tests and benchmark: a small spec per lab, unexpected errors recorded. */
final class RecordingHooks implements LoopHooks {
    final List<String> unexpected = new CopyOnWriteArrayList<>();
    final List<String> recovered = new CopyOnWriteArrayList<>();
    final List<String> poweredOff = new CopyOnWriteArrayList<>();

    @Override
    public VmSpec spec(Lab lab) {
        return new VmSpec(lab.id(), lab.ownerName(), null, 1, 256, null, true, true, lab.restartGeneration());
    }

    @Override
    public void expired(Lab lab) {
    }

    @Override
    public void unexpected(String labId, RuntimeException error) {
        unexpected.add(labId);
    }

    @Override
    public void recovering(Lab lab, String reason) {
        recovered.add(lab.id());
    }

    @Override
    public void poweredOff(Lab lab, String reason) {
        poweredOff.add(lab.id());
    }

    @Override
    public void retrying(String labId) {
    }
}
