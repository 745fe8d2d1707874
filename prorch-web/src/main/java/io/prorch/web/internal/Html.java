package io.prorch.web.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Escaping and the page frame: every value that reaches HTML goes through {@link #esc(Object)}. */
final class Html {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Html() {
    }

    /** @return {@code value}'s text with the five HTML-significant characters escaped; {@code ""} for null */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** @return {@code value} encoded for a query parameter or a path segment */
    static String url(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** @return an instant as UTC seconds, or a dash */
    static String time(Instant instant) {
        return instant == null ? "&ndash;" : "<time datetime=\"" + esc(instant) + "\">" + TIME.format(instant)
                + "</time>";
    }

    /**
     * @return the 8 random hex digits of an id, as the backup example prints them: new ids are time-ordered, so
     *     their first digits are alike, and their last 4 are zero
     */
    static String shortId(UUID id) {
        return id.toString().substring(24, 32);
    }

    /** @return a status as a coloured badge */
    static String badge(io.prorch.Status status) {
        return "<span class=\"badge s-" + status.value() + "\">" + status.value() + "</span>";
    }

    /** @return the first line of {@code text}, at most {@code max} characters, escaped; empty for null */
    static String firstLine(String text, int max) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return esc(line.length() > max ? line.substring(0, max) + "…" : line);
    }

    /** @return a whole page: {@code body} inside the frame with the navigation and the stylesheet */
    static String page(Call call, String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + " · prorch</title>"
                + "<link rel=\"stylesheet\" href=\"" + esc(call.link("/style.css")) + "\"></head><body>"
                + "<header><a class=\"brand\" href=\"" + esc(call.link("/")) + "\">prorch</a>"
                + "<nav><a href=\"" + esc(call.link("/")) + "\">Pipelines</a>"
                + "<a href=\"" + esc(call.link("/definitions")) + "\">Definitions</a>"
                + "<a href=\"" + esc(call.link("/api/pipelines")) + "\">JSON</a></nav></header>"
                + "<main>" + body + "</main></body></html>\n";
    }

    /** @return a page that explains why a request was refused, with a way back */
    static String problem(Call call, int status, String message) {
        return page(call, "Error " + status, "<h1>Error " + status + "</h1><p class=\"problem\">" + esc(message)
                + "</p><p><a href=\"" + esc(call.link("/")) + "\">Back to the pipelines</a></p>");
    }
}
