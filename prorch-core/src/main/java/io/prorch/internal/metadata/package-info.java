/**
 * Metadata validation and canonical form. Not API: it may change at any time; use {@link io.prorch.Metadata}.
 */
package io.prorch.internal.metadata;
