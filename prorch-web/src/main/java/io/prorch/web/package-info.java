/**
 * prorch's status page and JSON API: {@link io.prorch.web.ProrchWeb} serves them on a port of their own or hands
 * requests to a host application's server ({@link io.prorch.web.ProrchWeb#handle}); operator actions are off unless
 * the host enables them and its {@link io.prorch.web.Authorizer} allows each one.
 */
package io.prorch.web;
