package org.labcontroller.runtime.qemu;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.labcontroller.runtime.RuntimeFailure;

/** The base of tests on a real QEMU runtime: a fresh state directory each, every VM removed after. */
abstract class QemuLabTest {
    QemuFixture fixture;
    QemuRuntime runtime;

    @BeforeEach
    void newRuntime() throws IOException {
        fixture = new QemuFixture();
        runtime = fixture.runtime();
    }

    @AfterEach
    void removeVms() throws RuntimeFailure {
        fixture.cleanUp(runtime);
    }
}
