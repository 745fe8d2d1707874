package io.prorch.services;

/**
 * What {@link ServicesApi#handle} answers: a status and a JSON body.
 *
 * @param status the HTTP status
 * @param body the JSON body
 */
public record ApiResponse(int status, String body) {
}
