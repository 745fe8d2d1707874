package io.prorch.web.internal;

import io.prorch.Status;
import java.util.List;

/**
 * Draws a pipeline's steps as an inline SVG: one box per step, left to right, arrows between them, each box coloured
 * by its step's status when a run is shown and the current step drawn bold. No script, no external resource.
 */
final class Diagram {
    private static final int HEIGHT = 56;
    private static final int BOX_HEIGHT = 34;
    private static final int GAP = 36;
    private static final int CHAR_WIDTH = 8;
    private static final int MIN_BOX = 90;
    private static final int MAX_LABEL = 40;

    private Diagram() {
    }

    /**
     * @param title what the SVG's title says (a pipeline name)
     * @param steps the step names in order
     * @param statuses each step's status, or null to draw the definition only
     * @param current the index of the current step, or -1 for none
     * @return the SVG, every name escaped
     */
    static String svg(String title, List<String> steps, List<Status> statuses, int current) {
        StringBuilder boxes = new StringBuilder();
        int x = 8;
        for (int i = 0; i < steps.size(); i++) {
            String label = steps.get(i).length() > MAX_LABEL ? steps.get(i).substring(0, MAX_LABEL) + "…"
                    : steps.get(i);
            int width = Math.max(MIN_BOX, label.length() * CHAR_WIDTH + 24);
            if (i > 0) {
                int from = x - GAP;
                boxes.append("<path class=\"arrow\" d=\"M").append(from).append(' ').append(HEIGHT / 2).append(" H")
                        .append(x - 8).append("\"/><polygon class=\"head\" points=\"").append(x - 8).append(',')
                        .append(HEIGHT / 2 - 5).append(' ').append(x).append(',').append(HEIGHT / 2).append(' ')
                        .append(x - 8).append(',').append(HEIGHT / 2 + 5).append("\"/>");
            }
            String status = statuses == null || i >= statuses.size() ? null : statuses.get(i).value();
            boxes.append("<g class=\"step").append(status == null ? "" : " st-" + status)
                    .append(i == current ? " current" : "").append("\" data-step=\"").append(Html.esc(steps.get(i)))
                    .append("\"><title>").append(Html.esc(steps.get(i))).append(status == null ? "" : ": " + status)
                    .append(i == current ? " (current)" : "").append("</title><rect x=\"").append(x).append("\" y=\"")
                    .append((HEIGHT - BOX_HEIGHT) / 2).append("\" rx=\"6\" width=\"").append(width)
                    .append("\" height=\"").append(BOX_HEIGHT).append("\"/><text x=\"").append(x + width / 2)
                    .append("\" y=\"").append(HEIGHT / 2 + 4).append("\" text-anchor=\"middle\">")
                    .append(Html.esc(label)).append("</text></g>");
            x += width + GAP;
        }
        int total = x - GAP + 8;
        return "<div class=\"diagram\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" + total
                + "\" height=\"" + HEIGHT + "\" viewBox=\"0 0 " + total + " " + HEIGHT + "\"><title>"
                + Html.esc(title) + "</title>" + boxes + "</svg></div>";
    }
}
