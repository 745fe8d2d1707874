/**
 * Services called over HTTP from prorch pipelines: machinery's services and workflows defined as JSON
 * ({@link io.prorch.services.Services}, {@link io.prorch.services.ServicesApi}), served on a port of their own
 * ({@link io.prorch.services.ServicesServer}) or beside prorch-web's status page under its Authorizer
 * ({@link io.prorch.services.ServicesRoutes}, which needs prorch-web on the class path).
 */
package io.prorch.services;
