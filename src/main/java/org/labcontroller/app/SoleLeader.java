package org.labcontroller.app;

import org.labcontroller.runtime.Leadership;

/** The leadership of a controller that runs alone (the embedded default): always the leader. */
public final class SoleLeader implements Leadership {
    @Override
    public boolean isLeader() {
        return true;
    }
}
