package org.labcontroller.course;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.labcontroller.account.CallerContext;
import org.labcontroller.lab.Lab;
import org.labcontroller.problem.ApiException;
import org.labcontroller.problem.ErrorCode;
import org.labcontroller.storage.Page;

/** Courses: their schedule, quotas and templates, their members and rosters, and their labs. */
@Path("/api/v1/courses")
@Tag(name = "courses")
public class CourseResource {
    @Inject
    CallerContext context;
    @Inject
    CourseService courses;
    @Inject
    CourseMembers members;
    @Inject
    RosterService rosters;
    @Inject
    CourseLabs labs;
    @Inject
    Provisioning provisioning;

    @GET
    @Operation(summary = "Courses you may see: an admin all, everyone else those they teach or are enrolled in; each with your allowedActions")
    public Page<CourseView> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return courses.list(context.require(), Page.Request.of(limit, cursor));
    }

    @POST
    @Operation(summary = "Create a course (instructors and admins); an instructor who creates one teaches it")
    public Response create(CourseRequest body) {
        return Response.status(201).entity(courses.create(context.require(), body)).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One course; its templates are listed to students only while it is open (opensAt <= now < closesAt)")
    public CourseView get(@PathParam("id") String id) {
        return courses.read(context.require(), id);
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a course's name, code, window, quotas and templates (its instructors and admins)")
    public CourseView replace(@PathParam("id") String id, CourseRequest body) {
        return courses.replace(context.require(), id, body);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a course without labs; its memberships go with it")
    public Response delete(@PathParam("id") String id) {
        courses.delete(context.require(), id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/members")
    @Operation(summary = "The course's members, optionally only one role (instructor, student)")
    public Page<CourseMembers.MemberView> members(@PathParam("id") String id, @QueryParam("role") String role,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return members.list(context.require(), id, role, Page.Request.of(limit, cursor));
    }

    @POST
    @Path("{id}/members")
    @Operation(summary = "Add an existing account as instructor or student (201), or change its role (200)")
    public Response addMember(@PathParam("id") String id, CourseMembers.NewMember body) {
        var added = members.add(context.require(), id, body);
        return Response.status(added.created() ? 201 : 200).entity(added.member()).build();
    }

    @DELETE
    @Path("{id}/members/{accountId}")
    @Operation(summary = "Remove a member from the course (their labs stay until deleted)")
    public Response removeMember(@PathParam("id") String id, @PathParam("accountId") String accountId) {
        members.remove(context.require(), id, accountId);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/roster")
    @Consumes("text/csv")
    @Operation(summary = "Upload a roster CSV (username,display name,email; header row; UTF-8; at most lab.courses.roster-max-bytes):"
            + " enrols known accounts, creates unknown ones with a one-time set-password link, answers a per-row report."
            + " One rejected row refuses the whole file (400 naming row and field) unless skipInvalid=true; dryRun=true changes nothing")
    public RosterReport roster(@PathParam("id") String id, @QueryParam("skipInvalid") boolean skipInvalid,
            @QueryParam("dryRun") boolean dryRun, byte[] body) {
        return rosters.upload(context.require(), id, body, skipInvalid, dryRun);
    }

    @POST
    @Path("{id}/roster")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "The same roster upload as a form with the CSV in its 'file' part")
    public RosterReport rosterForm(@PathParam("id") String id, @QueryParam("skipInvalid") boolean skipInvalid,
            @QueryParam("dryRun") boolean dryRun, @RestForm("file") FileUpload file) {
        var caller = context.require();
        if (file == null) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "roster: the form has no 'file' part", "file");
        }
        try {
            return rosters.upload(caller, id, Files.readAllBytes(file.uploadedFile()), skipInvalid, dryRun);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("{id}/labs")
    @Operation(summary = "The course's labs: all of them for its instructors and admins, your own for a student")
    public Page<Lab> labs(@PathParam("id") String id, @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return labs.list(context.require(), id, Page.Request.of(limit, cursor));
    }

    @POST
    @Path("{id}/labs")
    @Operation(summary = "Start a lab from one of the course's templates (its students, while it is open, within its quotas;"
            + " 409 says which limit or that the course is closed)")
    public Response startLab(@PathParam("id") String id, CourseLabs.NewCourseLab body) {
        return Response.status(201).entity(labs.start(context.require(), id, body)).build();
    }

    @POST
    @Path("{id}/provision")
    @Operation(summary = "A lab for every student: creates the missing lab of the template for each student (idempotent);"
            + " the reconcile loop starts them a few at a time")
    public Response provision(@PathParam("id") String id, Provisioning.Request body) {
        return Response.accepted(provisioning.provision(context.require(), id, body)).build();
    }

    @GET
    @Path("{id}/provision")
    @Operation(summary = "Progress of the template's labs in the course: n of N running, on their way, failed (with reasons), missing")
    public Provisioning.Progress progress(@PathParam("id") String id, @QueryParam("templateId") String templateId) {
        return provisioning.progress(context.require(), id, templateId);
    }
}
