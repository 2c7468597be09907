package org.labcontroller.lab;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Credential;
import org.labcontroller.account.Policy;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.storage.Page;

/**
 * One open live feed: the labs one caller may see, sent again whenever a lab they may see
 * changed. Before every event it re-authorizes its credential, and it is re-authorized at the
 * recheck interval too; once the credential is gone or stands for another caller now (a changed
 * role), it sends a final {@link Ended} event saying why and ends, so no one keeps a view the
 * controller would no longer give them.
 */
final class LabFeed {
    private static final Logger LOG = Logger.getLogger(LabFeed.class);

    /** What a feed sends. */
    sealed interface Event permits Labs, Viewers, Ended {
    }

    /** The caller's first page of labs (with {@code nextCursor} when there are more). */
    record Labs(Page<Lab> page) implements Event {
    }

    /**
     * Who else is in the consoles and screens of the caller's own labs (watchers, assistants), sent
     * when that changed since the feed's last one; a new feed sends it only when someone is there.
     */
    record Viewers(java.util.List<LabViewers.Viewer> viewers) implements Event {
    }

    /** The last event: why the feed ended. */
    record Ended(ErrorCode code, String detail) implements Event {
    }

    /** Where a feed reads: the caller its credential stands for now, and the caller's first page. */
    interface Source {
        Optional<Caller> current(Credential credential);

        Page<Lab> firstPage(Caller caller);

        /** Who is in the streams of the caller's own labs. */
        default java.util.List<LabViewers.Viewer> viewers(Caller caller) {
            return java.util.List.of();
        }
    }

    final Caller caller;
    final Policy.Scope scope;
    private final Credential credential;
    private final Source source;
    private final Executor executor;
    private final Consumer<Event> sink;
    private final Runnable complete;
    // NOTE: signal() runs on any thread (change fan-out, recheck timer); it only sets flags and
    // schedules drain(). `running` lets one drain run at a time, so everything below it (the last
    // page sent, the order of events) is owned by that one drain and needs no lock.
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicBoolean stale = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong checks = new AtomicLong();
    private volatile boolean ended;
    // NOTE: `reading` is set before a page read starts and cleared only after `visible` holds its
    // result, so a deletion announced meanwhile always finds the feed interested (see shows()).
    private volatile boolean reading;
    private volatile Set<String> visible = Set.of();
    private Page<Lab> last;
    private java.util.List<LabViewers.Viewer> lastViewers = java.util.List.of();

    LabFeed(Caller caller, Policy.Scope scope, Credential credential, Source source, Executor executor,
            Consumer<Event> sink, Runnable complete) {
        this.caller = caller;
        this.scope = scope;
        this.credential = credential;
        this.source = source;
        this.executor = executor;
        this.sink = sink;
        this.complete = complete;
    }

    /** Asks for a re-authorization soon, and for a fresh page too when {@code reread}. */
    void signal(boolean reread) {
        if (reread) {
            stale.set(true);
        }
        pending.set(true);
        schedule();
    }

    /**
     * Whether a change of the lab concerns this feed: it shows the lab (or is reading and may),
     * or the lab, as it is now, is one the caller may see.
     */
    boolean concerns(String labId, Optional<Lab> lab, Supplier<String> templateOwner) {
        return concerns(labId, lab, templateOwner, account -> false);
    }

    /** The same, where {@code teaches} tells whether an account teaches the lab's course. */
    boolean concerns(String labId, Optional<Lab> lab, Supplier<String> templateOwner, java.util.function.Predicate<String> teaches) {
        if (reading || visible.contains(labId)) {
            return true;
        }
        return lab.isPresent() && (LabRepository.inScope(scope, lab.get().ownerId(), templateOwner)
                || scope.templateOwnerId() != null && teaches.test(scope.templateOwnerId()));
    }

    /** The client went away: do nothing more. */
    void stop() {
        ended = true;
    }

    boolean isEnded() {
        return ended;
    }

    /** Pages read so far (a test hook: a feed with nothing changing reads nothing). */
    long reads() {
        return reads.get();
    }

    /** Re-authorizations so far (a test hook). */
    long checks() {
        return checks.get();
    }

    private void schedule() {
        if (!ended && running.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (!ended && pending.getAndSet(false)) {
                step();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "The live feed of %s failed", caller.username());
            finish(ErrorCode.UNAVAILABLE, "The live feed failed; it reconnects by itself");
        } finally {
            running.set(false);
        }
        if (!ended && pending.get()) {
            schedule();
        }
    }

    private void step() {
        Optional<Caller> now = source.current(credential);
        checks.incrementAndGet();
        if (now.isEmpty()) {
            finish(ErrorCode.ACCESS_REVOKED, "Your login ended or your token was revoked; log in again");
            return;
        }
        if (!now.get().equals(caller)) {
            finish(ErrorCode.ACCESS_REVOKED, "Your account changed; open the feed again to see what you may see now");
            return;
        }
        if (!stale.getAndSet(false)) {
            return;
        }
        reading = true;
        Page<Lab> page;
        try {
            page = source.firstPage(caller);
            reads.incrementAndGet();
            visible = page.items().stream().map(Lab::id).collect(Collectors.toUnmodifiableSet());
        } finally {
            reading = false;
        }
        // A page with more after it is sent again even when it is the same: the change may lie
        // beyond it, and the client fetches the following pages on each event.
        if ((!page.equals(last) || page.nextCursor() != null) && !ended) {
            last = page;
            sink.accept(new Labs(page));
        }
        java.util.List<LabViewers.Viewer> viewers = source.viewers(caller);
        if (!viewers.equals(lastViewers) && !ended) {
            lastViewers = viewers;
            sink.accept(new Viewers(viewers));
        }
    }

    private void finish(ErrorCode code, String detail) {
        if (!ended) {
            ended = true;
            sink.accept(new Ended(code, detail));
            complete.run();
        }
    }
}
