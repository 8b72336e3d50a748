package org.reseq.bench.stack;

/** A run's destinations and channels on the stack; closing removes them, channels first. */
public final class Provisioned implements AutoCloseable {

    private final Provisioner provisioner;
    private final Topology topology;

    Provisioned(Provisioner provisioner, Topology topology) {
        this.provisioner = provisioner;
        this.topology = topology;
    }

    public Topology topology() {
        return topology;
    }

    @Override
    public void close() {
        provisioner.remove(topology);
    }
}
