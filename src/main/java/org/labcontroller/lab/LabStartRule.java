package org.labcontroller.lab;

import org.labcontroller.account.Caller;

/**
 * A rule another feature adds to starting an existing lab again (a course refuses while it is
 * closed). Exists so that {@code lab} can apply such rules without depending on the features that
 * make them; a rule throws an {@code ApiException} to refuse.
 */
public interface LabStartRule {
    void check(Caller caller, Lab lab);
}
