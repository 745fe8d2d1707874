/**
 * Services called over HTTP from prorch pipelines: machinery's services and workflows defined as JSON
 * ({@link io.prorch.services.Services}, {@link io.prorch.services.ServicesApi}).
 */
package io.prorch.services;
