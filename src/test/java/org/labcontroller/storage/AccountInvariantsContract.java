package org.labcontroller.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.labcontroller.account.AccountService;
import org.labcontroller.account.AccountService.UserView;
import org.labcontroller.account.Caller;
import org.labcontroller.account.Policy;
import org.labcontroller.account.Role;
import org.labcontroller.api.Api;
import org.labcontroller.api.Parallel;
import org.labcontroller.problem.ApiException;

/**
 * Account limits that the database must hold under concurrent requests: at least one admin, and
 * the per-user token cap. Subclasses pick the database; every race starts its calls at one gate,
 * and the assertions count outcomes, so a pass does not depend on timing.
 */
abstract class AccountInvariantsContract {
    private static final int OK = 200;

    @Inject
    AccountService accounts;
    @Inject
    Policy policy;

    private Caller system() {
        return policy.systemCaller();
    }

    private List<UserView> admins() {
        List<UserView> all = new ArrayList<>();
        String cursor = null;
        do {
            var page = accounts.list(system(), Page.Request.of(500, cursor));
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all.stream().filter(u -> u.role() == Role.ADMIN).toList();
    }

    private String newAdmin() {
        return accounts.create(system(), new AccountService.NewUser(Api.unique("admin"), Api.PASSWORD, Role.ADMIN)).id();
    }

    private static int status(Runnable call) {
        try {
            call.run();
            return OK;
        } catch (ApiException e) {
            return e.code().status();
        }
    }

    private void promote(List<String> ids) {
        ids.forEach(id -> accounts.update(system(), id, new AccountService.UserPatch(null, Role.ADMIN)));
    }

    @Test
    void concurrentDemotionsAndDeletionsOfEveryAdminLeaveExactlyOne() throws Exception {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            created.add(newAdmin());
        }
        List<String> targets = admins().stream().map(UserView::id).toList();
        List<String> earlier = targets.stream().filter(Predicate.not(created::contains)).toList();
        try {
            List<Integer> answers = Parallel.run(targets.size(), i -> () -> status(() -> {
                String id = targets.get(i);
                if (created.contains(id) && i % 2 == 0) {
                    accounts.delete(system(), id);
                } else {
                    accounts.update(system(), id, new AccountService.UserPatch(null, Role.STUDENT));
                }
            }));
            assertEquals(targets.size() - 1, answers.stream().filter(s -> s == OK).count(), answers.toString());
            assertEquals(1, answers.stream().filter(s -> s == 409).count(), answers.toString());
            assertEquals(1, admins().size(), "admins left");
        } finally {
            promote(earlier);
        }
    }

    @Test
    void twoLastAdminsDemotingEachOtherAtOnceOneWinsAndTheOtherGetsAConflict() throws Exception {
        String first = newAdmin();
        String second = newAdmin();
        List<String> others = admins().stream().map(UserView::id).filter(id -> !id.equals(first) && !id.equals(second)).toList();
        try {
            others.forEach(id -> accounts.update(system(), id, new AccountService.UserPatch(null, Role.STUDENT)));
            Caller a = new Caller(first, "first", Role.ADMIN);
            Caller b = new Caller(second, "second", Role.ADMIN);
            List<Integer> answers = Parallel.run(2, i -> () -> status(() -> accounts.update(i == 0 ? a : b,
                    i == 0 ? second : first, new AccountService.UserPatch(null, Role.STUDENT))));
            assertEquals(List.of(OK, 409), answers.stream().sorted().toList());
            assertEquals(1, admins().size(), "admins left");
        } finally {
            promote(others);
        }
    }

    @Test
    void twentyParallelTokenCreatesStopAtTheCap() throws Exception {
        Api.Client student = Api.user(Api.admin(), "student");
        for (int i = 0; i < 40; i++) {
            student.req().body(Map.of("name", "t" + i)).post("/api/v1/me/tokens").then().statusCode(201);
        }
        List<HttpResponse<String>> answers = Parallel.run(20, i -> () ->
                Parallel.send(student, "POST", "/api/v1/me/tokens", "{\"name\":\"p" + i + "\"}"));
        List<Integer> statuses = answers.stream().map(HttpResponse::statusCode).toList();
        assertEquals(10, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(10, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        answers.stream().filter(r -> r.statusCode() == 409)
                .forEach(r -> assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("")));
        List<?> items = student.req().get("/api/v1/me/tokens?limit=500").then().statusCode(200).extract().path("items");
        assertEquals(50, items.size());
    }
}
