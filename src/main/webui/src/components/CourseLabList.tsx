import { useState } from "preact/hooks";
import type { Me } from "../api";
import { ago } from "../format";
import { useNow } from "../hooks";
import { useFeed } from "../labs";
import { LabActions } from "./LabActions";
import { Alert, Empty, Link, Loading, StateBadge } from "./ui";

/**
 * The labs of a course the caller may see, live from the lab feed: all of them for its
 * instructors (who may start, stop and delete them: `operate-labs`), a student's own for a student.
 */
export function CourseLabList({ courseId, me, operate }: { courseId: string; me: Me; operate: boolean }) {
  const feed = useFeed();
  const now = useNow(5000);
  const [error, setError] = useState<string | null>(null);
  const labs = feed.labs?.filter((l) => l.courseId === courseId);
  if (!labs) return <Loading label="Loading labs…" />;
  if (labs.length === 0) return <Empty title="No labs in this course yet" />;
  return (
    <div class="table-wrap">
      {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
      <table class="table table-dense">
        <caption class="sr-only">Labs of the course</caption>
        <thead><tr><th scope="col">Owner</th><th scope="col">Template</th><th scope="col">State</th><th scope="col">Created</th>
          <th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {labs.map((l) => (
            <tr key={l.id} data-testid="course-lab-row">
              <th scope="row">{l.owner}</th>
              <td>{l.templateName}</td>
              <td><StateBadge state={l.state} />{l.stateReason && <span class="cell-sub">{l.stateReason}</span>}</td>
              <td>{ago(l.createdAt, now)}</td>
              <td class="row-actions"><div class="actions">
                {l.state === "Running" && l.ownerId === me.id && <Link href={`/labs/${l.id}`} class="btn btn-secondary btn-sm">Open</Link>}
                {(operate || l.ownerId === me.id) && <LabActions lab={l} onError={setError} small />}
              </div></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
