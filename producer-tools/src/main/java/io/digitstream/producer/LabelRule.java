package io.digitstream.producer;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the true label of an image file comes from, if anywhere. */
public enum LabelRule {

    /** No label. */
    NONE,

    /** The name of the file's folder, when it is one digit: {@code train/7/0001.png} is a 7. */
    FOLDER,

    /** A digit at the end of the file name after {@code _} or {@code -}: {@code img_7.png}, {@code 0001-3.jpg}. */
    FILE_NAME;

    private static final Pattern NAME_LABEL = Pattern.compile("[_-]([0-9])(\\.[^.]*)?$");

    /** The label {@code file} carries under this rule, or null when the rule finds none. */
    public Integer labelOf(Path file) {
        switch (this) {
            case FOLDER -> {
                Path parent = file.toAbsolutePath().getParent();
                String name = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
                return name.length() == 1 && Character.isDigit(name.charAt(0)) ? name.charAt(0) - '0' : null;
            }
            case FILE_NAME -> {
                Matcher m = NAME_LABEL.matcher(file.getFileName().toString());
                return m.find() ? Integer.valueOf(m.group(1)) : null;
            }
            default -> {
                return null;
            }
        }
    }
}
