import { useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { Alert } from "../components/ui";
import { useTitle } from "../hooks";
import { navigate } from "../router";

/** The page of a one-time set-password link (/set-password#token=…); the token never goes to the server in a URL. */
export function SetPassword() {
  useTitle("Set your password");
  const token = new URLSearchParams(location.hash.slice(1)).get("token") ?? "";
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.setPassword(token, password);
      navigate("/login", true);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login-page">
      <form class="card login-card form" onSubmit={submit} aria-label="Set your password">
        <h1>Set your password</h1>
        {!token && <Alert>This link has no token. Open the link your instructor gave you.</Alert>}
        {error && <Alert>{error}</Alert>}
        <div class="field"><label for="sp-password">New password (at least 8 characters)</label>
          <input id="sp-password" type="password" required minLength={8} autoComplete="new-password" value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)} /></div>
        <button type="submit" class="btn btn-primary btn-block" disabled={busy || !token}>{busy ? "Saving…" : "Set password"}</button>
      </form>
    </div>
  );
}
