package io.prorch.web.internal;

import io.prorch.Status;
import java.time.Instant;
import java.util.UUID;

/**
 * One pipeline as the list shows it.
 *
 * @param id its id
 * @param name its pipeline name
 * @param key its business key, or null
 * @param status its status
 * @param currentStep the name of its current step, or null
 * @param lastError its last error, or null
 * @param createdAt when it was started
 * @param updatedAt when it last changed
 * @param version its stored version
 */
record Row(UUID id, String name, String key, Status status, String currentStep, String lastError, Instant createdAt,
           Instant updatedAt, long version) {
}
