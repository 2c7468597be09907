import { useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { Alert } from "../components/ui";
import { useTitle } from "../hooks";
import { navigate } from "../router";
import { loggedIn, takeSessionNotice } from "../session";

export function Login() {
  useTitle("Log in");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [notice] = useState(takeSessionNotice);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login(username.trim(), password);
      const me = await api.me();
      const next = new URLSearchParams(location.search).get("next");
      loggedIn(me);
      navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : "/", true);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Logging in failed.");
      setBusy(false);
    }
  };

  return (
    <div class="login-page">
      <main class="login-card" id="main">
        <div class="login-brand">
          <img src="/favicon.svg" alt="" width="40" height="40" />
          <div>
            <h1>Lab Controller</h1>
            <p class="muted">Your own virtual lab, in the browser.</p>
          </div>
        </div>
        {notice && <Alert kind="info">{notice}</Alert>}
        {error && <Alert>{error}</Alert>}
        <form onSubmit={submit} class="form">
          <div class="field">
            <label for="username">Username</label>
            <input id="username" name="username" autoComplete="username" required autoFocus
              value={username} onInput={(e) => setUsername((e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required
              value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </div>
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>{busy ? "Logging in…" : "Log in"}</button>
        </form>
        <p class="muted small">Accounts are created by your administrator.</p>
      </main>
    </div>
  );
}
