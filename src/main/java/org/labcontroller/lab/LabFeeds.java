package org.labcontroller.lab;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.labcontroller.account.AccountEvent;
import org.labcontroller.account.Authenticator;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Credential;
import org.labcontroller.account.Policy;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.storage.Page;
import org.labcontroller.template.TemplateService;

/**
 * This replica's open live feeds. It opens a feed within the caller's cap, routes each announced
 * lab change only to the feeds it concerns (one look-up of the lab per change, none while no feed
 * is open), and re-authorizes and re-reads every feed at the recheck interval as a backstop; nothing
 * polls more often than that.
 */
@ApplicationScoped
public class LabFeeds {
    private static final Logger LOG = Logger.getLogger(LabFeeds.class);
    /** Account changes that may end a credential or change what it may see. */
    private static final Set<String> ENDS_ACCESS = Set.of("token-revoke", "role-change", "password-reset", "password-change",
            "user-delete");

    @Inject
    LabService labs;
    @Inject
    LabRepository repository;
    @Inject
    CourseTeaching teaching;
    @Inject
    LabViewers viewers;
    @Inject
    LabChanges changes;
    @Inject
    TemplateService templates;
    @Inject
    Authenticator authenticator;
    @Inject
    Policy policy;
    @Inject
    FeedConfig config;
    @Inject
    MeterRegistry registry;

    private final Set<LabFeed> open = ConcurrentHashMap.newKeySet();
    // NOTE: feeds read the database with blocking JDBC, so their drains and the change fan-out
    // run on virtual threads, never on the writer's thread or an event loop; one timer thread
    // only signals the recheck.
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "feed-recheck"));
    private UserSlots slots;
    private Counter reads;

    void onStart(@Observes StartupEvent event) {
        slots = new UserSlots(config.maxFeedsPerUser());
        reads = registry.counter("lab_feed_reads");
        registry.gaugeCollectionSize("lab_feeds", java.util.List.of(), open);
        changes.subscribe(labId -> {
            if (!workers.isShutdown()) {
                workers.execute(() -> route(labId));
            }
        });
        long every = config.recheckInterval().toMillis();
        // Re-read as well as re-authorize at the recheck: the level-triggered backstop, like the
        // loop's resync, so a change whose announcement was missed shows within one interval.
        timer.scheduleWithFixedDelay(() -> open.forEach(f -> f.signal(true)), every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        workers.shutdownNow();
    }

    /**
     * A feed of the labs the caller may see, or a 429 problem when the caller holds the most feeds
     * allowed. The slot is taken now, so the refusal is a plain HTTP answer, and released when the
     * feed ends for any reason.
     */
    public Multi<LabFeed.Event> open(Caller caller, Credential credential) {
        UserSlots.Slot slot = slots.take(caller.id()).orElseThrow(() -> new ApiException(ErrorCode.TOO_MANY_REQUESTS,
                "You have " + slots.cap() + " live feeds open already; close one (another tab or window) first"));
        Policy.Scope scope = policy.labScope(caller);
        LabFeed.Source source = new LabFeed.Source() {
            public Optional<Caller> current(Credential c) {
                return authenticator.current(c);
            }

            public Page<Lab> firstPage(Caller c) {
                reads.increment();
                return labs.list(c, Page.Request.of(Page.MAX_LIMIT, null));
            }

            public java.util.List<LabViewers.Viewer> viewers(Caller c) {
                return viewers.ofOwner(c.id());
            }
        };
        // NOTE: the server subscribes once, right after the resource returns; the emitter is
        // safe to call from the feed's drain thread, and termination (the client went away, or
        // the feed ended itself) runs once and gives the slot back.
        return Multi.createFrom().<LabFeed.Event>emitter(emitter -> {
            LabFeed feed = new LabFeed(caller, scope, credential, source, workers, emitter::emit, emitter::complete);
            emitter.onTermination(() -> {
                feed.stop();
                open.remove(feed);
                slot.release();
            });
            open.add(feed);
            feed.signal(true);
        });
    }

    /**
     * An account or credential changed on this replica (a token revoked, a role changed, a
     * password reset): every feed re-authorizes now rather than at its next recheck. Other
     * replicas' feeds still notice at their recheck interval.
     */
    void onAccountChanged(@Observes AccountEvent event) {
        if (ENDS_ACCESS.contains(event.action())) {
            open.forEach(f -> f.signal(false));
        }
    }

    /** Signals the feeds a lab change concerns; {@code null} (the listener reconnected) concerns all. */
    private void route(String labId) {
        if (open.isEmpty()) {
            return;
        }
        if (labId == null) {
            open.forEach(f -> f.signal(true));
            return;
        }
        try {
            Optional<Lab> lab = repository.find(labId);
            Supplier<String> templateOwner = memo(() -> lab.map(l -> templates.get(policy.systemCaller(), l.templateId()).ownerId())
                    .orElse(null));
            open.stream().filter(f -> f.concerns(labId, lab, templateOwner, account -> teaching.teachesCourseOf(labId, account)))
                    .forEach(f -> f.signal(true));
        } catch (RuntimeException e) {
            LOG.warnf("Could not route the change of lab %s; every feed re-reads: %s", labId, e.getMessage());
            open.forEach(f -> f.signal(true));
        }
    }

    /** Pages read by the open feeds of one account on this replica (for tests and diagnostics). */
    public long readsOf(String accountId) {
        return open.stream().filter(f -> f.caller.id().equals(accountId)).mapToLong(LabFeed::reads).sum();
    }

    /** Re-authorizations of the open feeds of one account on this replica (for tests and diagnostics). */
    public long checksOf(String accountId) {
        return open.stream().filter(f -> f.caller.id().equals(accountId)).mapToLong(LabFeed::checks).sum();
    }

    /** Open feeds of one account on this replica. */
    public int openOf(String accountId) {
        return slots.held(accountId);
    }

    private static <T> Supplier<T> memo(Supplier<T> s) {
        return new Supplier<>() {
            private T value;
            private boolean done;

            public synchronized T get() {
                if (!done) {
                    value = s.get();
                    done = true;
                }
                return value;
            }
        };
    }
}
