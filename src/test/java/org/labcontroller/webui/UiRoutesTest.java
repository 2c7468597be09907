package org.labcontroller.webui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UiRoutesTest {

    @Test
    void pagePathsOfTheUiAnswerTheIndexPage() {
        assertTrue(UiRoutes.isPagePath("/login"));
        assertTrue(UiRoutes.isPagePath("/labs/01HZX/console"));
        assertTrue(UiRoutes.isPagePath("/audit"));
    }

    @Test
    void apiOperationsFilesAndTheRootAreNeverRerouted() {
        assertFalse(UiRoutes.isPagePath("/"));
        assertFalse(UiRoutes.isPagePath("/api"));
        assertFalse(UiRoutes.isPagePath("/api/v1/nowhere"));
        assertFalse(UiRoutes.isPagePath("/q/health/ready"));
        assertFalse(UiRoutes.isPagePath("/assets/index-abc.js"));
        assertFalse(UiRoutes.isPagePath("/favicon.svg"));
    }
}
