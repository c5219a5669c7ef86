package org.lbaas.model;

/**
 * Helpers for free text that the service itself writes into the model, such as a driver's error
 * message placed in a {@code status_description}.
 */
public final class Text {

    private Text() {
    }

    /**
     * Makes any text acceptable as a status description: control and format characters become
     * spaces, runs of spaces collapse, and the result is cut to 1024 characters.
     *
     * @param text any text, {@code null} gives the empty string
     * @return text that satisfies the status-description rule
     */
    public static String statusDescription(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), Rules.MAX_STATUS_DESCRIPTION));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() < Rules.MAX_STATUS_DESCRIPTION; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            boolean blank = Character.isWhitespace(c) || Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR;
            if (blank) {
                if (!space && out.length() > 0) {
                    out.append(' ');
                }
                space = true;
            } else {
                if (out.length() + Character.charCount(c) > Rules.MAX_STATUS_DESCRIPTION) {
                    break;
                }
                out.appendCodePoint(c);
                space = false;
            }
        }
        return out.toString().strip();
    }
}
