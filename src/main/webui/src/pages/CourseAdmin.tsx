import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Course, type Me } from "../api";
import { CourseLabList } from "../components/CourseLabList";
import { BulkLabs } from "../components/BulkLabs";
import { CourseForm } from "../components/CourseForm";
import { CourseMembers } from "../components/CourseMembers";
import { CourseReset } from "../components/CourseReset";
import { RosterUpload } from "../components/RosterUpload";
import { Alert, ConfirmButton, Link, Loading, PageHeader } from "../components/ui";
import { useTitle } from "../hooks";
import { navigate } from "../router";

/** One course for its instructors and admins: details, members, roster upload and a lab for every student. */
export function CourseAdmin({ id, me }: { id: string; me: Me }) {
  const [course, setCourse] = useState<Course | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useTitle(course ? `Course ${course.code}` : "Course");
  const load = () => api.course(id).then(setCourse, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  useEffect(() => void load(), [id]);

  if (!course) return error ? <Alert>{error}</Alert> : <Loading label="Loading the course…" />;
  const can = (a: string) => course.allowedActions.includes(a);
  return (
    <>
      <p class="crumbs"><Link href="/courses">Courses</Link> / {course.code}</p>
      <PageHeader title={course.name}
        lead={`${course.code} · ${course.open ? "open" : course.closedReason} · ${course.students} students, ${course.instructors} instructors`}>
        {can("overview") && <Link href={`/courses/${id}/overview`} class="btn btn-secondary">Class overview</Link>}
        {can("delete") && (
          <ConfirmButton label="Delete course" question={`Delete ${course.code}?`} onConfirm={() => void api.deleteCourse(id)
            .then(() => navigate("/courses"), (e) => setError(e instanceof ApiError ? e.message : String(e)))} />
        )}
      </PageHeader>
      {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
      {notice && <Alert kind="success" onDismiss={() => setNotice(null)}>{notice}</Alert>}
      {can("edit") && (
        <section aria-labelledby="details-h">
          <h2 id="details-h">Schedule, quotas and templates</h2>
          <CourseForm key={course.updatedAt} course={course} submitLabel="Save course"
            onSubmit={async (body) => { setCourse(await api.updateCourse(id, body)); setNotice("Course saved."); }} />
        </section>
      )}
      {can("roster") && (
        <section aria-labelledby="roster-h">
          <h2 id="roster-h">Roster upload</h2>
          <RosterUpload courseId={id} onApplied={() => void load()} />
        </section>
      )}
      {can("members") && (
        <section aria-labelledby="members-h">
          <h2 id="members-h">Members</h2>
          <CourseMembers key={`${course.students}/${course.instructors}`} courseId={id} onChange={() => void load()} />
        </section>
      )}
      {can("view-labs") && (
        <section aria-labelledby="labs-h">
          <h2 id="labs-h">Labs of the course</h2>
          <CourseLabList courseId={id} me={me} operate={can("operate-labs")} />
        </section>
      )}
      {can("provision") && (
        <section aria-labelledby="bulk-h">
          <h2 id="bulk-h">A lab for every student</h2>
          <BulkLabs course={course} />
        </section>
      )}
      {can("reset-labs") && (
        <section aria-labelledby="reset-h">
          <h2 id="reset-h">Reset all labs of the course</h2>
          <CourseReset course={course} />
        </section>
      )}
    </>
  );
}
