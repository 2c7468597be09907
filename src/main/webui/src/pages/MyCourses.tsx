import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Course, type Me } from "../api";
import { Alert, Empty, Link, Loading, PageHeader } from "../components/ui";
import { CourseForm } from "../components/CourseForm";
import { CourseLabList } from "../components/CourseLabList";
import { when } from "../format";
import { useTitle } from "../hooks";
import { navigate } from "../router";

/**
 * The courses the caller is in (all of them for an admin). A student starts labs from a course's
 * templates here while it is open; the buttons come from each course's allowedActions.
 */
export function MyCourses({ me }: { me: Me }) {
  useTitle("Courses");
  const [courses, setCourses] = useState<Course[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const load = () => api.courses().then(setCourses, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  useEffect(() => void load(), []);

  const start = async (c: Course, templateId: string) => {
    setStarting(`${c.id}/${templateId}`);
    setError(null);
    try {
      const lab = await api.startCourseLab(c.id, templateId);
      navigate(`/labs/${lab.id}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setStarting(null);
    }
  };

  return (
    <>
      <PageHeader title="Courses" lead="Your courses: start a lab from a course's templates while it is open.">
        {me.role !== "student" && !creating && (
          <button type="button" class="btn btn-primary" onClick={() => setCreating(true)}>New course</button>
        )}
      </PageHeader>
      {creating && (
        <CourseForm submitLabel="Create course" onCancel={() => setCreating(false)}
          onSubmit={async (body) => { const c = await api.createCourse(body); navigate(`/courses/${c.id}`); }} />
      )}
      {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
      {!courses ? (
        !error && <Loading label="Loading courses…" />
      ) : courses.length === 0 ? (
        <Empty title="You are in no course yet"><p>Your instructor enrols you in a course.</p></Empty>
      ) : (
        <ul class="lab-list" aria-label="Courses">
          {courses.map((c) => (
            <li key={c.id} class="card" data-testid="course-card">
              <div class="lab-head">
                <h2 class="lab-title">{c.name} <span class="muted small">{c.code}</span></h2>
                {c.allowedActions.includes("edit") && <Link href={`/courses/${c.id}`} class="btn btn-secondary btn-sm">Manage</Link>}
              </div>
              <p class="lab-meta">
                {c.open ? (c.closesAt ? `Open until ${when(c.closesAt)}` : "Open") : c.closedReason}
                {c.myRole && <> · you are {c.myRole === "instructor" ? "an instructor" : "a student"}</>}
              </p>
              {c.allowedActions.includes("start-lab") && (
                c.templates.length === 0 ? <p class="muted">The course offers no template yet.</p> : (
                  <ul class="template-grid" aria-label={`Templates of ${c.name}`}>
                    {c.templates.map((t) => (
                      <li key={t.id} class="template-card">
                        <h3>{t.name}</h3>
                        <p class="template-desc">{t.description || "No description."}</p>
                        <ul class="specs" aria-label="Specification"><li>{t.cpus} vCPU</li><li>{t.memoryMb} MB RAM</li></ul>
                        <button type="button" class="btn btn-primary" disabled={starting !== null} aria-label={`Start a ${t.name} lab in ${c.name}`}
                          onClick={() => void start(c, t.id)}>
                          {starting === `${c.id}/${t.id}` ? "Starting…" : "Start lab"}
                        </button>
                      </li>
                    ))}
                  </ul>
                )
              )}
              {c.allowedActions.includes("view-own-labs") && (
                <section aria-label={`Your labs in ${c.name}`}>
                  <h3>Your labs in this course</h3>
                  <CourseLabList courseId={c.id} me={me} operate={false} />
                </section>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
