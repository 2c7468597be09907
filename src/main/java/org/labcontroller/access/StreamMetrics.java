package org.labcontroller.access;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.labcontroller.runtime.StreamKind;

/** Open stream sessions (a gauge per kind) and bytes each way (counters), for /q/metrics. */
@ApplicationScoped
class StreamMetrics {
    private final Map<StreamKind, AtomicInteger> open = new EnumMap<>(StreamKind.class);
    private final Map<StreamKind, Counter> toBrowser = new EnumMap<>(StreamKind.class);
    private final Map<StreamKind, Counter> fromBrowser = new EnumMap<>(StreamKind.class);

    @Inject
    StreamMetrics(MeterRegistry registry) {
        for (StreamKind kind : StreamKind.values()) {
            String k = kind.name().toLowerCase();
            open.put(kind, registry.gauge("lab_stream_sessions", java.util.List.of(io.micrometer.core.instrument.Tag.of("stream", k)),
                    new AtomicInteger()));
            toBrowser.put(kind, registry.counter("lab_stream_bytes", "stream", k, "direction", "to_browser"));
            fromBrowser.put(kind, registry.counter("lab_stream_bytes", "stream", k, "direction", "from_browser"));
        }
    }

    void opened(StreamKind kind) {
        open.get(kind).incrementAndGet();
    }

    void closed(StreamKind kind) {
        open.get(kind).decrementAndGet();
    }

    void toBrowser(StreamKind kind, int bytes) {
        toBrowser.get(kind).increment(bytes);
    }

    void fromBrowser(StreamKind kind, int bytes) {
        fromBrowser.get(kind).increment(bytes);
    }
}
