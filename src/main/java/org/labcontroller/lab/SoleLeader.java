package org.labcontroller.lab;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** The leadership of a controller that runs alone (the embedded default): always the leader. */
@DefaultBean
@ApplicationScoped
public class SoleLeader implements Leadership {
    @Override
    public boolean isLeader() {
        return true;
    }
}
