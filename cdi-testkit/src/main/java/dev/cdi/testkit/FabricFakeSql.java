package dev.cdi.testkit;

import dev.cdi.testkit.FabricTdsSession.Rewritten;
import dev.cdi.testkit.FabricTdsSession.Special;
import dev.cdi.testkit.FabricTdsSession.TdsError;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The T-SQL that {@link TestingFabricServer} accepts, turned into what its H2 engine (MSSQLServer mode) runs. H2
 * already reads {@code [brackets]}, {@code TOP}, {@code OFFSET/FETCH} and three-part names; this rewrites only what it
 * lacks: {@code COUNT_BIG} (as {@code COUNT}, which is a {@code BIGINT} in H2), {@code SYSUTCDATETIME()} (as
 * {@code LOCALTIMESTAMP(7)}, the engine's sessions being in UTC), a trailing {@code OPTION (LABEL = '...')} (removed
 * and recorded), and {@code @name} parameters (as {@code ?}, in the order of their markers). A few statements are
 * answered without the engine ({@code SET} options, {@code SELECT @@VERSION}, {@code WAITFOR DELAY}); engine errors
 * become SQL Server's error numbers (208, 207, 102). Stateless.
 */
final class FabricFakeSql {
    private static final Pattern LABEL = Pattern.compile(
            "\\s*OPTION\\s*\\(\\s*LABEL\\s*=\\s*N?'((?:[^']|'')*)'\\s*\\)\\s*;?\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SET_OPTION = Pattern.compile("\\s*SET\\s+(NOCOUNT|ANSI_\\w+|QUOTED_IDENTIFIER"
            + "|IMPLICIT_TRANSACTIONS|TEXTSIZE|ARITHABORT|CONCAT_NULL_YIELDS_NULL|LOCK_TIMEOUT|XACT_ABORT|DATEFORMAT"
            + "|DATEFIRST|LANGUAGE|TRANSACTION\\s+ISOLATION\\s+LEVEL)\\b[^;]*;?\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern VERSION = Pattern.compile("\\s*SELECT\\s+@@VERSION\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WAITFOR = Pattern.compile(
            "\\s*WAITFOR\\s+DELAY\\s+'(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,3}))?'\\s*;?\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTED_NAME = Pattern.compile("\"([^\"]*)\"");
    private static final Set<Integer> OBJECT_NOT_FOUND = Set.of(42102, 42103, 42104, 90079, 90013);
    private static final Set<Integer> COLUMN_NOT_FOUND = Set.of(42122);
    private static final Set<Integer> SYNTAX = Set.of(42000, 42001);

    private FabricFakeSql() {
    }

    static Rewritten rewrite(String sql, Map<String, Object> parameters) throws TdsError {
        Optional<String> label = Optional.empty();
        Matcher labelMatcher = LABEL.matcher(sql);
        String text = sql;
        if (labelMatcher.find()) {
            label = Optional.of(labelMatcher.group(1).replace("''", "'"));
            text = sql.substring(0, labelMatcher.start());
        }
        if (SET_OPTION.matcher(text).matches()) {
            return new Rewritten(text, List.of(), label, Optional.of(Special.IGNORED_SET));
        }
        if (VERSION.matcher(text).matches()) {
            return new Rewritten(text, List.of(), label, Optional.of(Special.VERSION));
        }
        if (WAITFOR.matcher(text).matches()) {
            return new Rewritten(text, List.of(), label, Optional.of(Special.WAITFOR));
        }
        StringBuilder out = new StringBuilder(text.length());
        List<Object> bound = new ArrayList<>();
        int i = 0;
        int length = text.length();
        while (i < length) {
            char c = text.charAt(i);
            if (c == '\'' || c == '[' || c == '"') {
                char close = c == '[' ? ']' : c;
                int end = i + 1;
                while (end < length) {
                    if (text.charAt(end) == close) {
                        if (end + 1 < length && text.charAt(end + 1) == close) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                out.append(text, i, Math.min(length, end + 1));
                i = end + 1;
            } else if (c == '-' && i + 1 < length && text.charAt(i + 1) == '-') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? length : end;
            } else if (c == '@') {
                int end = i + 1;
                while (end < length && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                    end++;
                }
                String name = text.substring(i + 1, end).toLowerCase(Locale.ROOT);
                if (!parameters.containsKey(name)) {
                    throw new TdsError(137, 15, "Must declare the scalar variable \"" + text.substring(i, end) + "\".");
                }
                out.append('?');
                bound.add(parameters.get(name));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < length && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                    end++;
                }
                String word = text.substring(i, end);
                String upper = word.toUpperCase(Locale.ROOT);
                if (upper.equals("COUNT_BIG")) {
                    out.append("COUNT");
                } else if (upper.equals("SYSUTCDATETIME") && text.startsWith("()", skipBlanks(text, end))) {
                    out.append("LOCALTIMESTAMP(7)");
                    end = skipBlanks(text, end) + 2;
                } else {
                    out.append(word);
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return new Rewritten(out.toString(), bound, label, Optional.empty());
    }

    private static int skipBlanks(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    static long waitForNanos(String sql) {
        Matcher matcher = WAITFOR.matcher(LABEL.matcher(sql).replaceAll(""));
        if (!matcher.matches()) {
            return 0;
        }
        long millis = ((Long.parseLong(matcher.group(1)) * 60 + Long.parseLong(matcher.group(2))) * 60
                + Long.parseLong(matcher.group(3))) * 1000;
        if (matcher.group(4) != null) {
            millis += Long.parseLong((matcher.group(4) + "00").substring(0, 3));
        }
        return millis * 1_000_000;
    }

    /** Refuses a statement that names a table the principal may not read, as SQL Server's error 229 does. */
    static void checkAccess(TestingFabricServer server, String principal, String sql) throws TdsError {
        for (String table : server.deniedTables(principal)) {
            Pattern reference = Pattern.compile("(\\[" + Pattern.quote(table) + "\\]|\"" + Pattern.quote(table)
                    + "\"|(?<![\\w\\[\"])" + Pattern.quote(table) + "(?![\\w\\]\"]))", Pattern.CASE_INSENSITIVE);
            if (reference.matcher(sql).find()) {
                throw new TdsError(229, 14, "The SELECT permission was denied on the object '" + table
                        + "', database '" + server.database() + "', schema '" + TestingFabricServer.SCHEMA + "'.");
            }
        }
    }

    static TdsError toTdsError(TestingFabricServer server, SQLException e, String sql) {
        int code = e.getErrorCode();
        String name = firstQuoted(e.getMessage());
        if (OBJECT_NOT_FOUND.contains(code)) {
            return new TdsError(208, 16, "Invalid object name '" + name + "'.");
        }
        if (COLUMN_NOT_FOUND.contains(code)) {
            return new TdsError(207, 16, "Invalid column name '" + name + "'.");
        }
        server.unexpected("the engine refused: " + firstLine(e.getMessage()));
        if (SYNTAX.contains(code)) {
            return new TdsError(102, 15, "Incorrect syntax (TestingFabricServer's engine cannot run this T-SQL): "
                    + firstLine(e.getMessage()));
        }
        return new TdsError(50000, 16, "TestingFabricServer's engine failed: " + firstLine(e.getMessage()));
    }

    private static String firstQuoted(String message) {
        Matcher matcher = QUOTED_NAME.matcher(String.valueOf(message));
        return matcher.find() ? matcher.group(1) : "?";
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
