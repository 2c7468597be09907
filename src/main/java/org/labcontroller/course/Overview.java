package org.labcontroller.course;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.labcontroller.lab.Lab;

/**
 * The class overview of one course as an instructor reads it: a tile per enrolled student (with or
 * without a lab), the number of tiles in each state before filtering, and the time it was taken, so
 * the UI shows what a class is doing on one page and renders each tile's buttons from the server's
 * {@code allowedActions}.
 */
public record Overview(String courseId, String courseName, String courseCode, Instant at, boolean thumbnails,
        Map<String, Integer> counts, int students, List<Tile> tiles) {

    /** One student's tile; {@code state} is that of their most active lab, or {@code none}. */
    public record Tile(Student student, String state, List<TileLab> labs, Instant lastInputAt, Long idleSeconds) {
    }

    /** The student a tile shows. */
    public record Student(String id, String username, String displayName) {
    }

    /**
     * A lab of the student in this course, as the lab API shows it, with whether it offers a
     * console and a screen, whether a thumbnail of it can be fetched now, and the caller's actions on it.
     */
    public record TileLab(@JsonUnwrapped Lab lab, boolean console, boolean screen, boolean thumbnail, Instant lastInputAt,
            List<String> allowedActions) {
    }
}
