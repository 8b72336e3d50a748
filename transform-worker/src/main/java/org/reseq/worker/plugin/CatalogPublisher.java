package org.reseq.worker.plugin;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.reseq.model.transform.TransformCatalog;
import org.reseq.model.transform.TransformType;
import org.reseq.worker.WorkerProperties;
import org.reseq.worker.consume.Outage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Publishes the transform types this worker runs to the {@link TransformCatalog} every
 * {@link TransformCatalog#PUBLISH_EVERY}, so that ingress can check new configurations against
 * them and tell when no live worker runs a destination's type; withdraws them on shutdown.
 *
 * <p>Threading: one daemon thread of its own publishes; a failed publish (Redis away) is logged
 * and tried again next round, and never stops the worker from transforming.
 */
@Component
class CatalogPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CatalogPublisher.class);

    private final TransformCatalog catalog;
    private final String worker;
    private final List<TransformType> types;
    private volatile ScheduledExecutorService scheduler;
    /** Only the publishing thread touches it. */
    private final Outage outage;

    CatalogPublisher(TransformCatalog catalog, WorkerProperties properties, Plugins plugins) {
        this.catalog = catalog;
        this.worker = properties.instanceId();
        this.types = plugins.allTypes();
        this.outage = new Outage("Publishing this worker's transform types", log, Clock.systemUTC());
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("reseq-catalog-publisher").factory());
        started.scheduleWithFixedDelay(this::publish, 0, TransformCatalog.PUBLISH_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler = started;
    }

    private void publish() {
        try {
            catalog.publish(worker, types);
            outage.succeeded();
        } catch (RuntimeException e) {
            // The next try is the next round, whatever pause the outage would suggest.
            outage.failed("Redis failed", e);
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = scheduler;
        scheduler = null;
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            catalog.withdraw(worker);
        } catch (RuntimeException e) {
            log.debug("Could not withdraw this worker's transform types; they stop counting as live in {}",
                    TransformCatalog.LIVE_FOR, e);
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
