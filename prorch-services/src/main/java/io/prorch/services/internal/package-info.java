/** The machinery of prorch-services: JSON, validation, service calls. Not API: it may change at any time. */
package io.prorch.services.internal;
