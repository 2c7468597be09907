import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type Me, type Role, type User } from "../api";
import { Alert, ConfirmButton, Empty, Loading, PageHeader } from "../components/ui";
import { when } from "../format";
import { useTitle } from "../hooks";

const ROLES: Role[] = ["student", "instructor", "admin"];

export function Users({ me }: { me: Me }) {
  useTitle("Users");
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = () => api.users().then(setUsers, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  useEffect(() => void load(), []);

  const act = async (what: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await what();
      setNotice(done);
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };

  return (
    <>
      <PageHeader title="Users" lead="Accounts of students, instructors and administrators." />
      <NewUser onCreated={(u) => { setNotice(`User “${u.username}” created.`); setError(null); void load(); }} />
      {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
      {notice && <Alert kind="success" onDismiss={() => setNotice(null)}>{notice}</Alert>}
      {!users ? (
        !error && <Loading label="Loading users…" />
      ) : users.length === 0 ? (
        <Empty title="No users yet" />
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">Users</caption>
            <thead><tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid="user-row">
                  <th scope="row">{u.username}{u.id === me.id && <span class="muted small"> (you)</span>}</th>
                  <td>
                    <label class="sr-only" for={`role-${u.id}`}>Role of {u.username}</label>
                    <select id={`role-${u.id}`} value={u.role} disabled={u.id === me.id}
                      onChange={(e) => {
                        const role = (e.target as HTMLSelectElement).value as Role;
                        void act(() => api.updateUser(u.id, { role }), `${u.username} is now ${/^[aeiou]/.test(role) ? "an" : "a"} ${role}.`);
                      }}>
                      {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                    </select>
                  </td>
                  <td>{when(u.createdAt)}</td>
                  <td class="row-actions">
                    {u.id !== me.id && (
                      <div class="actions">
                        <ConfirmButton small label="Delete" question={`Delete ${u.username}?`}
                          onConfirm={() => void act(() => api.deleteUser(u.id), `User “${u.username}” deleted.`)} />
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function NewUser({ onCreated }: { onCreated: (u: User) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("student");
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const u = await api.createUser(username.trim(), password, role);
      setUsername("");
      setPassword("");
      setRole("student");
      onCreated(u);
      first.current?.focus();
    } catch (err) {
      setError(err instanceof ApiError ? { message: err.message, field: err.field } : { message: String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form inline-form" onSubmit={submit} aria-label="New user">
      <h2>New user</h2>
      {error && <Alert>{error.message}</Alert>}
      <div class="row">
        <div class="field">
          <label for="u-name">Username</label>
          <input id="u-name" ref={first} required autoComplete="off" value={username} aria-invalid={error?.field === "username" || undefined}
            onInput={(e) => setUsername((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="u-password">Password</label>
          <input id="u-password" type="password" required autoComplete="new-password" value={password}
            aria-invalid={error?.field === "password" || undefined} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="u-role">Role</label>
          <select id="u-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </div>
        <div class="field field-button">
          <button type="submit" class="btn btn-primary" disabled={busy}>{busy ? "Creating…" : "Create user"}</button>
        </div>
      </div>
    </form>
  );
}
