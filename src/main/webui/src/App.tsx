import { useEffect } from "preact/hooks";
import type { Me, Role } from "./api";
import { Link, Loading } from "./components/ui";
import { useFeed } from "./labs";
import { AllLabs } from "./pages/AllLabs";
import { ClassOverview } from "./pages/ClassOverview";
import { CourseAdmin } from "./pages/CourseAdmin";
import { MyCourses } from "./pages/MyCourses";
import { SetPassword } from "./pages/SetPassword";
import { Audit } from "./pages/Audit";
import { LabPage } from "./pages/LabPage";
import { Login } from "./pages/Login";
import { MyLabs } from "./pages/MyLabs";
import { StartLab } from "./pages/StartLab";
import { Templates } from "./pages/Templates";
import { Users } from "./pages/Users";
import { match, navigate, usePath } from "./router";
import { logout, refresh, useMe } from "./session";

void refresh();

interface NavItem { href: string; label: string; roles: Role[] }
const NAV: NavItem[] = [
  { href: "/", label: "My labs", roles: ["student", "instructor", "admin"] },
  { href: "/start", label: "Start a lab", roles: ["student", "instructor", "admin"] },
  { href: "/courses", label: "Courses", roles: ["student", "instructor", "admin"] },
  { href: "/templates", label: "Templates", roles: ["instructor", "admin"] },
  { href: "/all-labs", label: "All labs", roles: ["instructor", "admin"] },
  { href: "/users", label: "Users", roles: ["admin"] },
  { href: "/audit", label: "Audit log", roles: ["admin"] },
];

export function App() {
  const me = useMe();
  const path = usePath();

  useEffect(() => {
    if (me === null && path !== "/login" && path !== "/set-password") {
      const next = path === "/" ? "" : `?next=${encodeURIComponent(path)}`;
      navigate(`/login${next}`, true);
    }
  }, [me, path]);

  if (path === "/set-password") return <SetPassword />;
  if (me === undefined) return <div class="boot"><Loading /></div>;
  if (me === null) return path === "/login" ? <Login /> : <div class="boot"><Loading /></div>;
  if (path === "/login") {
    navigate("/", true);
    return null;
  }
  return (
    <Shell me={me} path={path}>
      <Route me={me} path={path} />
    </Shell>
  );
}

function Route({ me, path }: { me: Me; path: string }) {
  let p: Record<string, string> | null;
  if (path === "/") return <MyLabs me={me} />;
  if (path === "/start") return <StartLab />;
  if ((p = match("/labs/:id", path))) return <LabPage me={me} id={p.id} view="console" />;
  if ((p = match("/labs/:id/:view", path)) && (p.view === "console" || p.view === "screen"))
    return <LabPage me={me} id={p.id} view={p.view} />;
  if (path === "/courses") return <MyCourses me={me} />;
  if ((p = match("/courses/:id", path))) return <CourseAdmin id={p.id} me={me} />;
  if ((p = match("/courses/:id/overview", path))) return <ClassOverview key={p.id} id={p.id} />;
  if (path === "/templates" && me.role !== "student") return <Templates />;
  if (path === "/all-labs" && me.role !== "student") return <AllLabs me={me} />;
  if (path === "/users" && me.role === "admin") return <Users me={me} />;
  if (path === "/audit" && me.role === "admin") return <Audit />;
  return (
    <div class="card narrow">
      <h1>Page not found</h1>
      <p>There is no page at <code>{path}</code> for your account.</p>
      <p><Link href="/">Back to my labs</Link></p>
    </div>
  );
}

function Shell({ me, path, children }: { me: Me; path: string; children: preact.ComponentChildren }) {
  const feed = useFeed();
  const current = (href: string) => (href === "/" ? path === "/" || path.startsWith("/labs/")
    : path === href || (href === "/courses" && path.startsWith("/courses/")));
  return (
    <div class="shell">
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <Link href="/" class="brand">
          <img src="/favicon.svg" alt="" width="24" height="24" />
          <span>Lab Controller</span>
        </Link>
        <nav aria-label="Main" class="nav">
          {NAV.filter((n) => n.roles.includes(me.role)).map((n) => (
            <Link key={n.href} href={n.href} class="nav-link" aria-current={current(n.href) ? "page" : undefined}>
              {n.label}
            </Link>
          ))}
        </nav>
        <div class="user">
          {feed.status === "reconnecting" && <span class="feed-warn" role="status">Reconnecting…</span>}
          <span class="user-name" title={`Logged in as ${me.username} (${me.role})`}>
            {me.username} <span class="role">{me.role}</span>
          </span>
          <button type="button" class="btn btn-ghost btn-sm on-dark" onClick={() => void logout()}>Log out</button>
        </div>
      </header>
      <main id="main" class="content" tabIndex={-1}>{children}</main>
    </div>
  );
}
