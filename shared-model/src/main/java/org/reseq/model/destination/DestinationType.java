package org.reseq.model.destination;

/** How egress reaches a destination. */
public enum DestinationType {
    HTTP,
    TCP
}
