package org.labcontroller.template;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.regex.Pattern;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.runtime.InvalidImageException;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmNetwork;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.Fields;
import org.labcontroller.storage.DataAccessException;
import org.labcontroller.storage.Ids;
import org.labcontroller.storage.Page;
import org.labcontroller.storage.Sql;

/** Creates, lists, replaces and deletes templates, validating them against the runtime. */
@ApplicationScoped
public class TemplateService {
    /** The most machines one template may keep warm: each holds a node's cores and memory while idle. */
    static final int MAX_WARM_POOL = 50;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    @Inject
    TemplateRepository templates;
    @Inject
    Policy policy;
    @Inject
    LabRuntime runtime;
    @Inject
    java.time.Clock clock;
    @Inject
    jakarta.enterprise.event.Event<TemplateChanged> changes;

    public Template create(Caller caller, TemplateRequest body) {
        policy.requireTemplateAuthor(caller);
        Instant now = clock.instant();
        Template t = validated(Ids.newId(), caller.id(), body, now, now);
        store(() -> templates.insert(t), t.name());
        changes.fire(new TemplateChanged(t.id()));
        return withActions(caller, t);
    }

    /** The templates the caller may see, each with only the fields the caller may read. */
    public Page<TemplateView> list(Caller caller, Page.Request page) {
        return Page.of(templates.page(policy.templateScope(caller), page), page, Template::id).map(t -> view(caller, t));
    }

    /** One template the caller may see, with only the fields the caller may read; 404 as if missing otherwise. */
    public TemplateView read(Caller caller, String id) {
        return view(caller, get(caller, id));
    }

    /** A template the caller may see, in full for the services' own use, or 404 exactly as if it did not exist. */
    public Template get(Caller caller, String id) {
        return templates.find(id, policy.templateScope(caller)).orElseThrow(() -> ApiException.notFound("template", id));
    }

    public Template replace(Caller caller, String id, TemplateRequest body) {
        Template old = get(caller, id);
        policy.requireTemplateOwner(caller, old.ownerId());
        Template t = validated(id, old.ownerId(), body, old.createdAt(), clock.instant());
        store(() -> templates.update(t), t.name());
        changes.fire(new TemplateChanged(t.id()));
        return withActions(caller, t);
    }

    public void delete(Caller caller, String id) {
        Template old = get(caller, id);
        policy.requireTemplateOwner(caller, old.ownerId());
        long labs = templates.labCount(id);
        if (labs > 0) {
            throw ApiException.conflict("The template still has " + labs + " labs; delete them first");
        }
        try {
            templates.delete(id);
        } catch (org.labcontroller.storage.DataAccessException e) {
            if (org.labcontroller.storage.Sql.isForeignKeyViolation(e)) {
                throw ApiException.conflict("A lab was just created from the template; delete it first");
            }
            throw e;
        }
        changes.fire(new TemplateChanged(id));
    }

    private TemplateView view(Caller caller, Template t) {
        return switch (policy.templateFields(caller, t.ownerId())) {
            case ALL -> withActions(caller, t);
            case LAUNCH -> LaunchTemplate.of(t, policy.templateActions(caller, t.ownerId(), t.offered()));
        };
    }

    private Template withActions(Caller caller, Template t) {
        return t.withActions(policy.templateActions(caller, t.ownerId(), t.offered()));
    }

    private Template validated(String id, String ownerId, TemplateRequest body, Instant created, Instant updated) {
        Fields.required("body", body);
        String name = Fields.matches("name", Fields.required("name", body.name()), NAME,
                "must be 1-63 characters of lower-case letters, digits and '-', starting with a letter or digit");
        VmImage image = Fields.required("image", body.image());
        image = new VmImage(path("image.kernel", image.kernel()), path("image.initrd", image.initrd()),
                path("image.disk", image.disk()), Fields.text("image.cmdline", blankToNull(image.cmdline()), 1024),
                path("image.containerDisk", image.containerDisk()));
        try {
            runtime.validate(image);
        } catch (InvalidImageException e) {
            throw ApiException.invalid(e.field(), e.getMessage());
        }
        return new Template(id, name, Fields.text("description", body.description() == null ? "" : body.description(), 2000),
                ownerId, image, Fields.range("cpus", body.cpus(), 1, 16), Fields.range("memoryMb", body.memoryMb(), 64, 65536),
                body.console() == null || body.console(), body.vnc() == null || body.vnc(),
                Fields.text("cloudInit", blankToNull(body.cloudInit()), 65536),
                Fields.range("maxLifetimeMinutes", body.maxLifetimeMinutes(), 1, 43200),
                body.offered() == null || body.offered(), network(body.network()), created, updated,
                TemplateReadiness.validated(body.readiness(), runtime.name(), runtime.readinessModes()),
                body.warmPool() == null ? 0 : Fields.range("warmPool", body.warmPool(), 0, MAX_WARM_POOL));
    }

    private static String network(String value) {
        if (value == null) {
            return VmNetwork.DEFAULT.value();
        }
        return VmNetwork.parse(value).map(VmNetwork::value)
                .orElseThrow(() -> ApiException.invalid("network", "must be one of none, isolated, internet"));
    }

    private static String path(String field, String value) {
        return Fields.text(field, blankToNull(value), 512);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void store(Runnable write, String name) {
        try {
            write.run();
        } catch (DataAccessException e) {
            if (Sql.isUniqueViolation(e.sqlException())) {
                throw new ApiException(org.labcontroller.problem.ErrorCode.CONFLICT,
                        "A template named '" + name + "' exists already", "name");
            }
            throw e;
        }
    }
}
