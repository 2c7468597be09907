package org.labcontroller.api;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.labcontroller.api.Api.Client;

/**
 * The people of a course test, made afresh for each test: an admin, an instructor and two students
 * who will be in the course, and an instructor and a student from outside it. The course's labs
 * are deleted after each test, so no machine outlives the test that started it.
 */
public abstract class CourseCast {
    protected Client admin;
    protected Client instructor;
    protected Client otherInstructor;
    protected Client student;
    protected Client classmate;
    protected Client otherStudent;
    /** The course under test, once a test made it; its labs are deleted after the test. */
    protected String courseId;

    @BeforeEach
    void cast() {
        admin = Api.admin();
        instructor = Api.user(admin, "instructor");
        otherInstructor = Api.user(admin, "instructor");
        student = Api.user(admin, "student");
        classmate = Api.user(admin, "student");
        otherStudent = Api.user(admin, "student");
    }

    /** The instructor's course made of {@code body}, with the student and the classmate enrolled. */
    protected String enrolledCourse(Map<String, Object> body) {
        courseId = Courses.create(instructor, body);
        Courses.enrol(instructor, courseId, student, "student");
        Courses.enrol(instructor, courseId, classmate, "student");
        return courseId;
    }

    @AfterEach
    void deleteCourseLabs() {
        if (courseId != null) {
            Courses.deleteLabs(admin, courseId);
        }
    }
}
