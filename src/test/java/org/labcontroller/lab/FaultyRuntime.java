package org.labcontroller.lab;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.labcontroller.runtime.InvalidImageException;
import org.labcontroller.runtime.LabRuntime;
import org.labcontroller.runtime.RuntimeFailure;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.StreamUnavailableException;
import org.labcontroller.runtime.VmImage;
import org.labcontroller.runtime.VmSpec;
import org.labcontroller.runtime.VmStatus;
import org.labcontroller.runtime.VmStatus.Phase;

/**
 * A runtime in memory that injects faults: each operation can be scripted to fail (a transient or
 * permanent failure, or an unexpected exception) a number of times, or to wait on a latch. Its
 * machines start and stop at once (and are ready at once, unless
 * {@link #booting} holds them), and it records restart generations as real runtimes do.
 */
final class FaultyRuntime implements LabRuntime {
    final Map<String, Phase> machines = new ConcurrentHashMap<>();
    final Map<String, Integer> generations = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Labs whose running machine is not ready (still booting) until a test removes them. */
    final java.util.Set<String> booting = ConcurrentHashMap.newKeySet();
    /** Labs whose guest shut itself down (reported as powered off until the loop stops or starts them). */
    final java.util.Set<String> poweredOff = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<Supplier<Exception>>> faults = new HashMap<>();
    volatile CountDownLatch hold;
    volatile CountDownLatch entered;

    /** The guest of {@code labId} runs {@code poweroff}: its machine stops without being asked. */
    void powerOff(String labId) {
        poweredOff.add(labId);
        machines.put(labId, Phase.STOPPED);
    }

    /** The next {@code times} calls of {@code op} fail with what {@code fault} makes. */
    synchronized FaultyRuntime fail(String op, int times, Supplier<Exception> fault) {
        Deque<Supplier<Exception>> q = faults.computeIfAbsent(op, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            q.add(fault);
        }
        return this;
    }

    int calls(String op) {
        AtomicInteger n = calls.get(op);
        return n == null ? 0 : n.get();
    }

    private void enter(String op) throws RuntimeFailure {
        calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
        CountDownLatch h = hold;
        if (h != null) {
            entered.countDown();
            try {
                h.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Supplier<Exception> fault;
        synchronized (this) {
            Deque<Supplier<Exception>> q = faults.get(op);
            fault = q == null ? null : q.poll();
        }
        if (fault != null) {
            Exception e = fault.get();
            if (e instanceof RuntimeFailure f) {
                throw f;
            }
            throw (RuntimeException) e;
        }
    }

    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public void validate(VmImage image) throws InvalidImageException {
    }

    @Override
    public void start(VmSpec spec) throws RuntimeFailure {
        enter("start");
        poweredOff.remove(spec.labId());
        machines.put(spec.labId(), Phase.RUNNING);
        generations.put(spec.labId(), spec.restartGeneration());
    }

    @Override
    public void stop(String labId) throws RuntimeFailure {
        enter("stop");
        poweredOff.remove(labId);
        machines.computeIfPresent(labId, (k, v) -> Phase.STOPPED);
    }

    @Override
    public void restart(VmSpec spec) throws RuntimeFailure {
        calls.computeIfAbsent("restart-requests", k -> new AtomicInteger()).incrementAndGet();
        if (generations.getOrDefault(spec.labId(), 0) >= spec.restartGeneration() && machines.get(spec.labId()) == Phase.RUNNING) {
            return;
        }
        enter("restart");
        machines.put(spec.labId(), Phase.RUNNING);
        generations.put(spec.labId(), spec.restartGeneration());
    }

    @Override
    public void delete(String labId) throws RuntimeFailure {
        enter("delete");
        machines.remove(labId);
    }

    @Override
    public Map<String, VmStatus> observe() {
        Map<String, VmStatus> all = new HashMap<>();
        machines.keySet().forEach(id -> all.put(id, observe(id)));
        return all;
    }

    @Override
    public VmStatus observe(String labId) {
        Phase phase = machines.get(labId);
        if (phase == Phase.RUNNING && booting.contains(labId)) {
            return VmStatus.booting(labId, "Booting: waiting for the console prompt.", generations.getOrDefault(labId, 0));
        }
        if (phase == Phase.STOPPED && poweredOff.contains(labId)) {
            return VmStatus.poweredOff(labId, "The machine powered itself off.", generations.getOrDefault(labId, 0));
        }
        return phase == null ? null : new VmStatus(labId, phase, phase == Phase.FAILED ? "it crashed" : null,
                generations.getOrDefault(labId, 0));
    }

    @Override
    public ByteChannel open(String labId, StreamKind kind) throws StreamUnavailableException, IOException {
        throw new StreamUnavailableException("no streams here");
    }

    @Override
    public boolean ready() {
        return true;
    }
}
