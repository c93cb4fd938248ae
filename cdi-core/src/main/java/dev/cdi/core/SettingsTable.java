package dev.cdi.core;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SettingType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a connector's declared settings ({@link dev.cdi.api.SourceConnectorProvider#settings()}) as a table: in
 * Markdown for a README, in plain text for a terminal ({@code cdi connectors --describe NAME}). Both list each
 * setting's key, type (with its range or allowed values), default, whether it is required and secret, and its
 * description, in the declared order.
 *
 * <p>Stateless and thread-safe.
 */
public final class SettingsTable {
    private static final List<String> HEADINGS =
            List.of("setting", "type", "default", "required", "secret", "description");

    private SettingsTable() {
    }

    /**
     * A Markdown table, one line per setting, ending with a line break.
     *
     * @param settings the declared settings
     * @return the table
     */
    public static String markdown(List<SettingDefinition> settings) {
        requireNonNull(settings, "settings is null");
        StringBuilder table = new StringBuilder();
        table.append("| ").append(String.join(" | ", HEADINGS)).append(" |\n");
        table.append("|---|---|---|---|---|---|\n");
        for (SettingDefinition setting : settings) {
            List<String> cells = List.of(code(setting.key()), markdownType(setting),
                    setting.defaultValue().map(SettingsTable::code).orElse(""), yesNo(setting.required()),
                    yesNo(setting.secret()), setting.description());
            List<String> escaped = new ArrayList<>();
            cells.forEach(cell -> escaped.add(cell.replace("|", "\\|")));
            table.append("| ").append(String.join(" | ", escaped)).append(" |\n");
        }
        return table.toString();
    }

    /**
     * A plain-text table with aligned columns and an upper-case heading line, ending with a line break.
     *
     * @param settings the declared settings
     * @return the table
     */
    public static String plainText(List<SettingDefinition> settings) {
        requireNonNull(settings, "settings is null");
        List<List<String>> rows = new ArrayList<>();
        List<String> headings = new ArrayList<>();
        HEADINGS.forEach(heading -> headings.add(heading.toUpperCase(Locale.ROOT)));
        rows.add(headings);
        for (SettingDefinition setting : settings) {
            rows.add(List.of(setting.key(), type(setting, ""), setting.defaultValue().orElse("-"),
                    yesNo(setting.required()), yesNo(setting.secret()), setting.description()));
        }
        int[] widths = new int[HEADINGS.size()];
        for (List<String> row : rows) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < widths.length; column++) {
                String cell = row.get(column);
                line.append(cell);
                if (column < widths.length - 1) {
                    line.append(" ".repeat(widths[column] - cell.length() + 2));
                }
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    private static String markdownType(SettingDefinition setting) {
        return type(setting, "`");
    }

    /** The type, with its range or its allowed values, each value quoted with {@code quote}. */
    private static String type(SettingDefinition setting, String quote) {
        SettingType type = setting.type();
        switch (type) {
            case STRING:
            case BOOLEAN:
            case PATH:
                return type.displayName();
            case INTEGER:
            case DURATION:
                if (setting.minimum().isPresent() && setting.maximum().isPresent()) {
                    return type.displayName() + ", " + quote + setting.minimum().get() + quote + " to " + quote
                            + setting.maximum().get() + quote;
                }
                if (setting.minimum().isPresent()) {
                    return type.displayName() + ", at least " + quote + setting.minimum().get() + quote;
                }
                if (setting.maximum().isPresent()) {
                    return type.displayName() + ", at most " + quote + setting.maximum().get() + quote;
                }
                return type.displayName();
            case ENUM:
                List<String> quoted = new ArrayList<>();
                setting.allowedValues().forEach(value -> quoted.add(quote + value + quote));
                return "one of " + String.join(", ", quoted);
        }
        throw new AssertionError(type);
    }

    private static String code(String text) {
        return "`" + text + "`";
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
