/**
 * The status page's implementation: routing, pages, JSON, CSRF, the JDK server adapter. Not API: may change at any
 * time. It depends on prorch-core's public API only, and nothing in {@code io.prorch.web}.
 */
package io.prorch.web.internal;
