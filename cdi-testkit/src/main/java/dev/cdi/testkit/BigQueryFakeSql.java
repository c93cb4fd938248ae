package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import dev.cdi.testkit.FakeSqlLexer.Kind;
import dev.cdi.testkit.FakeSqlLexer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL side of {@link TestingBigQueryServer}: BigQuery column types and their DuckDB storage, and the translation
 * of the few GoogleSQL statement shapes the fake accepts into DuckDB SQL. Anything else is refused with a
 * {@link BigQueryFakeError} {@code invalidQuery} naming what was not understood. Stateless, thread-safe.
 */
final class BigQueryFakeSql {

    /**
     * A column type: the name in a REST schema ({@code TIMESTAMP}, {@code INTEGER}, {@code BOOLEAN}, {@code RECORD},
     * ...), how DuckDB stores it, the bytes one value counts for BigQuery's data size (variable-length types add
     * their length), and the fields of a {@code RECORD}.
     */
    record ColumnType(String restName, String duckDbType, int fixedBytes, List<Column> fields) {
        ColumnType {
            requireNonNull(restName, "restName is null");
            requireNonNull(duckDbType, "duckDbType is null");
            fields = List.copyOf(fields);
        }

        boolean variableLength() {
            return restName.equals("STRING") || restName.equals("JSON") || restName.equals("BYTES");
        }
    }

    /** A column of a table the fake serves. */
    record Column(String name, ColumnType type) {
        Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** A table the fake serves: its BigQuery name parts, its DuckDB relation and its columns. */
    record Table(String project, String dataset, String name, String duckDbName, List<Column> columns) {
        Table {
            requireNonNull(project, "project is null");
            requireNonNull(dataset, "dataset is null");
            requireNonNull(name, "name is null");
            requireNonNull(duckDbName, "duckDbName is null");
            columns = List.copyOf(columns);
        }

        String qualifiedName() {
            return project + "." + dataset + "." + name;
        }

        Optional<Column> column(String columnName) {
            return columns.stream().filter(column -> column.name().equalsIgnoreCase(columnName)).findFirst();
        }
    }

    /**
     * A translated statement: the DuckDB SQL, the table it reads (if any), the named parameters in the order of their
     * {@code ?} markers, and the columns it references (for the bytes it processes).
     */
    record Translation(String duckDbSql, Optional<Table> table, List<String> parameters, Set<Column> referenced) {
        Translation {
            requireNonNull(duckDbSql, "duckDbSql is null");
            requireNonNull(table, "table is null");
            parameters = List.copyOf(parameters);
            referenced = Set.copyOf(referenced);
        }
    }

    private static final Set<String> KEYWORDS = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IS", "NULL",
            "ORDER", "BY", "ASC", "DESC", "NULLS", "FIRST", "LAST", "LIMIT", "AS", "SUM", "COUNT", "CASE", "WHEN",
            "THEN", "ELSE", "END", "TRUE", "FALSE", "MIN", "MAX", "BETWEEN");
    private static final Set<String> SYMBOLS = Set.of("(", ")", ",", "*", "=", "<", ">", "<=", ">=", "<>", "!=",
            "+", "-");
    private static final Pattern STRUCT_FIELD = Pattern.compile("\\s*([A-Za-z_][A-Za-z_0-9]*)\\s+(.+)\\s*",
            Pattern.DOTALL);

    private BigQueryFakeSql() {
    }

    /** Parses a BigQuery column type such as {@code TIMESTAMP}, {@code INT64} or {@code STRUCT<a INT64, b STRING>}. */
    static ColumnType columnType(String bigQueryType) {
        String type = bigQueryType.strip();
        String upper = type.toUpperCase(Locale.ROOT);
        if (upper.startsWith("STRUCT<") && upper.endsWith(">")) {
            List<Column> fields = new ArrayList<>();
            for (String field : splitTopLevel(type.substring(7, type.length() - 1))) {
                Matcher matcher = STRUCT_FIELD.matcher(field);
                if (!matcher.matches()) {
                    throw new IllegalArgumentException("Not a STRUCT field: " + field);
                }
                fields.add(new Column(matcher.group(1), columnType(matcher.group(2))));
            }
            StringBuilder duckDb = new StringBuilder("STRUCT(");
            for (int i = 0; i < fields.size(); i++) {
                duckDb.append(i == 0 ? "" : ", ").append(quote(fields.get(i).name())).append(' ')
                        .append(fields.get(i).type().duckDbType());
            }
            return new ColumnType("RECORD", duckDb.append(')').toString(), 0, fields);
        }
        return switch (upper) {
            case "TIMESTAMP" -> new ColumnType("TIMESTAMP", "TIMESTAMPTZ", 8, List.of());
            case "DATETIME" -> new ColumnType("DATETIME", "TIMESTAMP", 8, List.of());
            case "DATE" -> new ColumnType("DATE", "DATE", 8, List.of());
            case "STRING" -> new ColumnType("STRING", "VARCHAR", 2, List.of());
            case "JSON" -> new ColumnType("JSON", "JSON", 2, List.of());
            case "BOOL", "BOOLEAN" -> new ColumnType("BOOLEAN", "BOOLEAN", 1, List.of());
            case "INT64", "INTEGER", "INT", "BIGINT" -> new ColumnType("INTEGER", "BIGINT", 8, List.of());
            case "FLOAT64", "FLOAT" -> new ColumnType("FLOAT", "DOUBLE", 8, List.of());
            case "NUMERIC", "DECIMAL" -> new ColumnType("NUMERIC", "DECIMAL(38,9)", 16, List.of());
            default -> throw new IllegalArgumentException("The fake BigQuery server does not support the type "
                    + bigQueryType);
        };
    }

    /** The BigQuery column type for a DuckDB column type, for serving an existing DuckDB file, or empty. */
    static Optional<ColumnType> columnTypeForDuckDb(String duckDbType) {
        String type = duckDbType.toUpperCase(Locale.ROOT);
        if (type.startsWith("DECIMAL")) {
            return Optional.of(columnType("NUMERIC"));
        }
        return switch (type) {
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> Optional.of(columnType("TIMESTAMP"));
            case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" -> Optional.of(columnType("DATETIME"));
            case "JSON" -> Optional.of(columnType("JSON"));
            case "VARCHAR" -> Optional.of(columnType("STRING"));
            case "BOOLEAN" -> Optional.of(columnType("BOOL"));
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT" -> Optional.of(columnType("INT64"));
            case "FLOAT", "DOUBLE" -> Optional.of(columnType("FLOAT64"));
            case "DATE" -> Optional.of(columnType("DATE"));
            default -> Optional.empty();
        };
    }

    /** Splits {@code a, b<c, d>, e} at the commas outside angle brackets and parentheses. */
    static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '<' || c == '(') {
                depth++;
            } else if (c == '>' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (!text.substring(start).isBlank()) {
            parts.add(text.substring(start).strip());
        }
        return parts;
    }

    /** Splits a BigQuery table name ({@code p.d.t}, {@code `p.d.t`}, {@code `p`.`d`.`t`}, {@code d.t}) into parts. */
    static List<String> nameParts(String name) {
        List<String> parts = List.of(name.strip().replace("`", "").split("\\.", -1));
        if (parts.size() > 3 || parts.stream().anyMatch(part -> part.isBlank() || !part.equals(part.strip()))) {
            throw new IllegalArgumentException("Not a BigQuery table name: " + name);
        }
        return parts;
    }

    /** Quotes an identifier for DuckDB (double quotes, doubled inside). */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * Translates one statement of the accepted shapes into DuckDB SQL.
     *
     * @param sql the GoogleSQL text
     * @param tableResolver the table for a name's parts (one to three); throws {@link BigQueryFakeError} when it
     *     does not exist or may not be read
     * @param currentTimestamp a DuckDB expression for {@code CURRENT_TIMESTAMP()}, a TIMESTAMPTZ
     */
    static Translation translate(String sql, Function<List<String>, Table> tableResolver, String currentTimestamp) {
        List<Token> tokens = tokenize(sql);
        if (tokens.isEmpty() || !tokens.get(0).isWord("SELECT")) {
            throw BigQueryFakeError.notUnderstood("this statement (it serves one SELECT): " + abbreviate(sql));
        }
        Optional<FakeSqlLexer.FromClause> from = FakeSqlLexer.fromClause(tokens, RULES);
        int fromIndex = from.map(FakeSqlLexer.FromClause::fromIndex).orElse(-1);
        int tableEnd = from.map(FakeSqlLexer.FromClause::end).orElse(-1);
        Table table = null;
        if (from.isPresent()) {
            List<String> parts = new ArrayList<>();
            for (Token part : from.get().nameTokens()) {
                parts.addAll(List.of(part.identifier().split("\\.", -1)));
            }
            if (parts.size() > 3 || parts.stream().anyMatch(String::isEmpty)) {
                throw BigQueryFakeError.invalidQuery("Invalid table name: " + String.join(".", parts));
            }
            table = tableResolver.apply(parts);
        }
        StringBuilder out = new StringBuilder(sql.length() + 64);
        Deque<String> closers = new ArrayDeque<>();
        List<String> parameters = new ArrayList<>();
        Set<Column> referenced = new LinkedHashSet<>();
        int selectEnd = fromIndex >= 0 ? fromIndex : tokens.size();
        int itemStart = 1;
        int itemIndex = 0;
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (i == fromIndex) {
                out.append(" FROM ").append(table.duckDbName());
                i = tableEnd - 1;
                continue;
            }
            boolean inSelectList = i > 0 && i < selectEnd;
            switch (token.kind()) {
                case STRING -> out.append(" '").append(token.identifier().replace("'", "''")).append('\'');
                case NUMBER -> out.append(' ').append(token.text());
                case PARAMETER -> {
                    parameters.add(token.identifier());
                    out.append(" ?");
                }
                case QUOTED -> out.append(' ').append(column(table, token.identifier(), referenced));
                case SYMBOL -> {
                    if (token.is("*") && inSelectList && (i == itemStart)) {
                        if (table == null) {
                            throw BigQueryFakeError.invalidQuery("SELECT * must have a FROM clause");
                        }
                        referenced.addAll(table.columns());
                        out.append(" *");
                    } else if (token.is("(")) {
                        depth++;
                        closers.push(")");
                        out.append('(');
                    } else if (token.is(")")) {
                        depth--;
                        out.append(closers.isEmpty() ? ")" : closers.pop());
                    } else if (token.is(",") && inSelectList && depth == 0) {
                        out.append(alias(tokens, itemStart, i, itemIndex++)).append(',');
                        itemStart = i + 1;
                    } else if (!SYMBOLS.contains(token.text())) {
                        throw BigQueryFakeError.notUnderstood("'" + token.text() + "'");
                    } else {
                        out.append(' ').append(token.text());
                    }
                }
                case WORD -> {
                    String word = token.text().toUpperCase(Locale.ROOT);
                    boolean call = i + 1 < tokens.size() && tokens.get(i + 1).is("(");
                    if (word.equals("UNIX_MICROS") && call) {
                        if (i + 3 < tokens.size() && tokens.get(i + 2).kind() != Kind.SYMBOL
                                && tokens.get(i + 3).is(")") && table != null
                                && table.column(tokens.get(i + 2).identifier())
                                        .filter(column -> !column.type().restName().equals("TIMESTAMP")).isPresent()) {
                            throw BigQueryFakeError.invalidQuery("No matching signature for function UNIX_MICROS for"
                                    + " argument types: " + table.column(tokens.get(i + 2).identifier()).orElseThrow()
                                            .type().restName() + ". Supported signature: UNIX_MICROS(TIMESTAMP)");
                        }
                        out.append(" epoch_us(");
                        closers.push(")");
                        i += 1;
                    } else if (word.equals("TIMESTAMP") && call) {
                        out.append(" CAST(");
                        closers.push(" AS TIMESTAMPTZ)");
                        i += 1;
                    } else if (word.equals("TO_JSON_STRING") && call) {
                        out.append(" CAST(to_json(");
                        closers.push(") AS VARCHAR)");
                        i += 1;
                    } else if (word.equals("CURRENT_TIMESTAMP") && call) {
                        if (i + 2 >= tokens.size() || !tokens.get(i + 2).is(")")) {
                            throw BigQueryFakeError.notUnderstood("CURRENT_TIMESTAMP with arguments");
                        }
                        out.append(' ').append(currentTimestamp);
                        i += 2;
                    } else if (word.equals("AS") && inSelectList && depth == 0) {
                        if (i + 1 >= tokens.size() || (tokens.get(i + 1).kind() != Kind.WORD
                                && tokens.get(i + 1).kind() != Kind.QUOTED)) {
                            throw BigQueryFakeError.notUnderstood("AS without an alias");
                        }
                        out.append(" AS ").append(quote(tokens.get(i + 1).identifier()));
                        i += 1;
                    } else if (KEYWORDS.contains(word)) {
                        out.append(' ').append(word);
                    } else if (call) {
                        throw BigQueryFakeError.notUnderstood("the function " + word);
                    } else {
                        out.append(' ').append(column(table, token.identifier(), referenced));
                    }
                }
            }
            if (inSelectList && i + 1 == selectEnd) {
                out.append(alias(tokens, itemStart, i + 1, itemIndex++));
            }
        }
        return new Translation(out.toString().trim(), Optional.ofNullable(table), parameters, referenced);
    }

    /** BigQuery names an unnamed result column {@code f<i>_}; a bare column keeps its name. */
    private static String alias(List<Token> tokens, int start, int end, int index) {
        int length = end - start;
        if (length == 1 && (tokens.get(start).kind() == Kind.QUOTED || tokens.get(start).kind() == Kind.WORD
                || tokens.get(start).is("*"))) {
            return "";
        }
        for (int i = start; i < end; i++) {
            if (tokens.get(i).isWord("AS")) {
                return "";
            }
        }
        return " AS " + quote("f" + index + "_");
    }

    private static String column(Table table, String identifier, Set<Column> referenced) {
        Optional<Column> column = table == null ? Optional.empty() : table.column(identifier);
        if (column.isEmpty()) {
            throw BigQueryFakeError.invalidQuery("Unrecognized name: " + identifier);
        }
        referenced.add(column.get());
        return quote(column.get().name());
    }

    static String abbreviate(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    static final FakeSqlLexer.Rules RULES = new FakeSqlLexer.Rules('`', "'\"", false,
            FakeSqlLexer.UnquotedCase.AS_WRITTEN, '@', false, BigQueryFakeSql::notUnderstood);

    private static RuntimeException notUnderstood(String what) {
        return what.equals("an unterminated quote")
                ? BigQueryFakeError.invalidQuery("Syntax error: Unclosed identifier or string literal")
                : BigQueryFakeError.notUnderstood(what);
    }

    static List<Token> tokenize(String sql) {
        return FakeSqlLexer.tokenize(sql, RULES);
    }
}
