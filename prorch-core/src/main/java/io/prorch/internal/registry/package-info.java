/** Discovery and validation of {@code @Pipeline} and {@code @Step} classes. Not API: it may change at any time. */
package io.prorch.internal.registry;
