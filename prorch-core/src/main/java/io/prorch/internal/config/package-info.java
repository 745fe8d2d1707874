/** Checks and defaults of the orchestrator's settings. Not API: it may change at any time. */
package io.prorch.internal.config;
