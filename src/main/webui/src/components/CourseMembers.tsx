import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Member } from "../api";
import { Alert, ConfirmButton, Loading } from "./ui";

/** A course's instructors and students: add one by username, remove one. */
export function CourseMembers({ courseId, onChange }: { courseId: string; onChange: () => void }) {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Member["role"]>("student");
  const [error, setError] = useState<string | null>(null);
  const load = () => api.members(courseId).then(setMembers, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  useEffect(() => void load(), [courseId]);

  const act = async (what: () => Promise<unknown>) => {
    setError(null);
    try {
      await what();
      await load();
      onChange();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <div class="card">
      <form class="form inline-form" aria-label="Add a member"
        onSubmit={(e) => { e.preventDefault(); void act(() => api.addMember(courseId, username.trim(), role)).then(() => setUsername("")); }}>
        <div class="row">
          <div class="field"><label for="m-name">Username</label>
            <input id="m-name" required value={username} onInput={(e) => setUsername((e.target as HTMLInputElement).value)} /></div>
          <div class="field"><label for="m-role">Role in the course</label>
            <select id="m-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Member["role"])}>
              <option value="student">student</option><option value="instructor">instructor</option>
            </select></div>
          <div class="field field-button"><button type="submit" class="btn btn-primary">Add member</button></div>
        </div>
      </form>
      {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
      {!members ? <Loading label="Loading members…" /> : (
        <div class="table-wrap">
          <table class="table table-dense">
            <caption class="sr-only">Members</caption>
            <thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th>
              <th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.accountId} data-testid="member-row">
                  <th scope="row">{m.username}</th><td>{m.displayName ?? ""}</td><td>{m.email ?? ""}</td><td>{m.role}</td>
                  <td class="row-actions"><ConfirmButton small label="Remove" question={`Remove ${m.username}?`}
                    onConfirm={() => void act(() => api.removeMember(courseId, m.accountId))} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
