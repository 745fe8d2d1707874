package io.prorch.services;

import java.time.Instant;

/**
 * What registering a service or workflow answers (machinery's "service-id, ack date").
 *
 * @param id the definition's name, which identifies it
 * @param version for a workflow, the version of the pipeline it became (derived from its content and its services',
 *     so registering the same definitions again, after a restart too, gives the same version); 0 for a service
 * @param ackAt when the registration was accepted
 */
public record Registration(String id, int version, Instant ackAt) {
}
