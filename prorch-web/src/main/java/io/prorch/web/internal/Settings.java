package io.prorch.web.internal;

/**
 * The page's options, checked by the public builder.
 *
 * @param actionsEnabled whether operator actions are served at all
 * @param pageSize rows per list page unless the request asks for another limit
 * @param maxMetadataChars longest pretty-printed metadata shown on a page
 */
public record Settings(boolean actionsEnabled, int pageSize, int maxMetadataChars) {
}
