import { useState } from "preact/hooks";
import type { Lab, Me } from "../api";
import { LabActions } from "../components/LabActions";
import { Alert, Empty, Lifetime, Link, Loading, PageHeader, StateBadge } from "../components/ui";
import { ago, remaining, startTook } from "../format";
import { useNow, useTitle } from "../hooks";
import { useFeed } from "../labs";

export function MyLabs({ me }: { me: Me }) {
  useTitle("My labs");
  const feed = useFeed();
  const [error, setError] = useState<string | null>(null);
  const labs = feed.labs?.filter((l) => l.ownerId === me.id);
  return (
    <>
      <PageHeader title="My labs" lead="Your virtual machines. States update live.">
        <Link href="/start" class="btn btn-primary">Start a lab</Link>
      </PageHeader>
      {error && <Alert onDismiss={() => setError(null)}>{error}</Alert>}
      {!labs ? (
        <Loading label="Loading your labs…" />
      ) : labs.length === 0 ? (
        <Empty title="No labs yet — start one from a template">
          <p>A lab is your own virtual machine. It runs until you stop it or its lifetime ends.</p>
          <Link href="/start" class="btn btn-primary">Choose a template</Link>
        </Empty>
      ) : (
        <ul class="lab-list" aria-label="Labs">
          {labs.map((lab) => <LabCard key={lab.id} lab={lab} onError={setError} />)}
        </ul>
      )}
    </>
  );
}

function LabCard({ lab, onError }: { lab: Lab; onError: (m: string) => void }) {
  const now = useNow();
  const left = lab.state === "Running" || lab.state === "Starting" || lab.state === "Pending" ? remaining(lab.expiresAt, now) : null;
  return (
    <li class="lab-card" data-lab-id={lab.id} data-testid="lab-card">
      <div class="lab-main">
        <div class="lab-title">
          <h2>{lab.state === "Running" ? <Link href={`/labs/${lab.id}`}>{lab.templateName}</Link> : lab.templateName}</h2>
          <StateBadge state={lab.state} />
        </div>
        <p class="lab-meta">
          <span>Created {ago(lab.createdAt, now)}</span>
          {lab.state === "Running" && lab.startSeconds != null && <span data-testid="start-time">started in {startTook(lab.startSeconds)}</span>}
          {left && <Lifetime text={left} title={`Expires ${new Date(lab.expiresAt!).toLocaleString()}`} />}
        </p>
        {lab.state === "Failed" && lab.stateReason && (
          <p class="reason reason-failed"><strong>Why it failed:</strong> {lab.stateReason}</p>
        )}
        {lab.state !== "Failed" && lab.stateReason && <p class="reason">{lab.stateReason}</p>}
      </div>
      <div class="lab-side">
        {lab.state === "Running" && (
          <div class="actions">
            <Link href={`/labs/${lab.id}/console`} class="btn btn-primary btn-sm">Console</Link>
            <Link href={`/labs/${lab.id}/screen`} class="btn btn-secondary btn-sm">Screen</Link>
          </div>
        )}
        <LabActions lab={lab} onError={onError} small />
      </div>
    </li>
  );
}
