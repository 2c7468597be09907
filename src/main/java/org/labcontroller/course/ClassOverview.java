package org.labcontroller.course;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.lab.Desired;
import org.labcontroller.lab.Lab;
import org.labcontroller.lab.LabActivity;
import org.labcontroller.lab.LabService;
import org.labcontroller.lab.LabState;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.storage.Page;
import org.labcontroller.template.Template;
import org.labcontroller.template.TemplateService;

/**
 * The class overview: one tile per enrolled student of a course with their labs in it, their
 * inactivity (from {@link LabActivity} and the injected clock) and the caller's actions on each lab.
 * Built from a few queries however large the class (the roster and the course's labs, a page of 500
 * rows each, and each distinct template once), never one per student.
 */
@ApplicationScoped
public class ClassOverview {
    /** A tile's state when its student has no lab in the course. */
    static final String NONE = "none";

    @Inject
    CourseService courses;
    @Inject
    CourseRepository repository;
    @Inject
    LabService labs;
    @Inject
    TemplateService templates;
    @Inject
    LabActivity activity;
    @Inject
    LabRuntime runtime;
    @Inject
    Policy policy;
    @Inject
    Clock clock;

    /** The caller's view of the course's class; see {@link OverviewQuery} for the filters and orders. */
    public Overview read(Caller caller, String courseId, OverviewQuery query) {
        CourseService.Visible v = courses.require(caller, courseId, "overview");
        boolean teaches = v.membership() == Policy.Membership.INSTRUCTOR;
        Instant now = clock.instant();
        boolean screenshots = runtime.screenshots();
        Map<String, List<Lab>> byOwner = new HashMap<>();
        for (Lab lab : courseLabs(courseId)) {
            byOwner.computeIfAbsent(lab.ownerId(), o -> new ArrayList<>()).add(lab);
        }
        Map<String, Template> templateById = new HashMap<>();
        List<Overview.Tile> tiles = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (CourseRepository.Member s : repository.allStudents(courseId)) {
            List<Overview.TileLab> tileLabs = new ArrayList<>();
            for (Lab lab : byOwner.getOrDefault(s.accountId(), List.of())) {
                Template t = templateById.computeIfAbsent(lab.templateId(), id -> templates.get(policy.systemCaller(), id));
                List<String> actions = policy.labActions(caller, lab.ownerId(), teaches);
                boolean thumbnail = screenshots && t.vnc() && lab.state() == LabState.RUNNING && lab.desired() != Desired.DELETED
                        && actions.contains("thumbnail");
                tileLabs.add(new Overview.TileLab(lab, t.console(), t.vnc(), thumbnail, activity.lastInput(lab.id()).orElse(null),
                        actions));
            }
            tileLabs.sort(Comparator.comparingInt((Overview.TileLab l) -> rank(l.lab().state())));
            String state = tileLabs.isEmpty() ? NONE : tileLabs.getFirst().lab().state().label();
            Instant last = tileLabs.stream().map(Overview.TileLab::lastInputAt).filter(i -> i != null).max(Comparator.naturalOrder())
                    .orElse(null);
            Long idle = last == null ? null : Math.max(0, Duration.between(last, now).toSeconds());
            counts.merge(state, 1, Integer::sum);
            tiles.add(new Overview.Tile(new Overview.Student(s.accountId(), s.username(), s.displayName()), state,
                    List.copyOf(tileLabs), last, idle));
        }
        int students = tiles.size();
        List<Overview.Tile> shown = tiles.stream().filter(query::accepts).sorted(query.order()).toList();
        return new Overview(courseId, v.course().name(), v.course().code(), now, screenshots, counts, students, shown);
    }

    /** The tile state's order: the most active lab first, so a tile shows what the student works in. */
    static int rank(LabState state) {
        return switch (state) {
            case RUNNING -> 0;
            case STARTING -> 1;
            case PENDING -> 2;
            case STOPPING -> 3;
            case FAILED -> 4;
            case STOPPED -> 5;
            case DELETING -> 6;
        };
    }

    /** The tile order of a state label ({@code none} last). */
    static int rank(String state) {
        for (LabState s : LabState.values()) {
            if (s.label().equals(state)) {
                return rank(s);
            }
        }
        return LabState.values().length;
    }

    /** Parses a state filter value: a lab state's label in any case, or {@code none}. */
    static Optional<String> state(String value) {
        if (NONE.equalsIgnoreCase(value)) {
            return Optional.of(NONE);
        }
        for (LabState s : LabState.values()) {
            if (s.label().toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
                return Optional.of(s.label());
            }
        }
        return Optional.empty();
    }

    // NOTE: pages of 500 read in a loop; a lab started between two pages may be missed or a deleted
    // one shown until the next refresh, which the overview's few-seconds refresh makes good.
    private List<Lab> courseLabs(String courseId) {
        List<Lab> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<Lab> page = labs.listOfCourse(courseId, null, Page.Request.of(Page.MAX_LIMIT, cursor));
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

}
