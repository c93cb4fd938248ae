package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import dev.cdi.testkit.FakeSqlLexer.Kind;
import dev.cdi.testkit.FakeSqlLexer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The SQL side of {@link TestingDatabricksServer}: Databricks column types with their DuckDB storage and Arrow
 * encoding, Databricks name rules (backticks, case-insensitive names, {@code catalog.schema.table}), and the
 * translation of the few statement shapes the fake accepts into DuckDB SQL. Anything else is refused with a
 * {@link DatabricksFakeError} naming what was not understood. Stateless and thread-safe.
 */
final class DatabricksFakeSql {

    /**
     * A Databricks column type.
     *
     * @param typeName the manifest's {@code type_name}, such as {@code LONG}
     * @param typeText the manifest's {@code type_text}, such as {@code BIGINT} or {@code STRUCT<a: INT>}
     * @param duckDbType how DuckDB stores it
     * @param arrow how results carry it, empty for the types the fake only serves through {@code to_json}
     */
    record ColumnType(String typeName, String typeText, String duckDbType, Optional<ArrowColumnType> arrow) {
        ColumnType {
            requireNonNull(typeName, "typeName is null");
            requireNonNull(typeText, "typeText is null");
            requireNonNull(duckDbType, "duckDbType is null");
            requireNonNull(arrow, "arrow is null");
        }
    }

    /** A column of a table the fake serves. */
    record Column(String name, ColumnType type) {
        Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** A table the fake serves: its lower-case name parts, its DuckDB relation and its columns. */
    record Table(String catalog, String schema, String name, String duckDbName, List<Column> columns) {
        Table {
            requireNonNull(catalog, "catalog is null");
            requireNonNull(schema, "schema is null");
            requireNonNull(name, "name is null");
            requireNonNull(duckDbName, "duckDbName is null");
            columns = List.copyOf(columns);
        }

        String qualifiedName() {
            return catalog + "." + schema + "." + name;
        }

        Optional<Column> column(String columnName) {
            return columns.stream().filter(column -> column.name().equalsIgnoreCase(columnName)).findFirst();
        }
    }

    /** A translated query: its DuckDB SQL, the table it reads, if any, and whether it selects {@code *}. */
    record Query(String duckDbSql, Optional<Table> table, int parameterCount, boolean selectStar) {
    }

    /** What a statement asks for. */
    sealed interface Statement {
    }

    /** A {@code SELECT}. */
    record Select(Query query) implements Statement {
    }

    /** {@code SET QUERY_TAGS['key'] = 'value', ...}: the tags set, in order. */
    record SetQueryTags(Map<String, String> tags) implements Statement {
    }

    static final FakeSqlLexer.Rules RULES = new FakeSqlLexer.Rules('`', "'", true, FakeSqlLexer.UnquotedCase.LOWER,
            (char) 0, true, DatabricksFakeSql::notUnderstood);

    private static final Set<String> KEYWORDS = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IS", "NULL",
            "ORDER", "BY", "ASC", "DESC", "NULLS", "FIRST", "LAST", "LIMIT", "CAST", "AS", "SUM", "COUNT", "CASE",
            "WHEN", "THEN", "ELSE", "END", "TRUE", "FALSE");
    private static final Set<String> SYMBOLS = Set.of("(", ")", ",", ".", "*", "=", "<", ">", "<=", ">=", "<>", "!=",
            "?", "-", "+");
    private static final Map<String, String> CAST_TYPES = Map.of("TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_NTZ",
            "TIMESTAMP", "STRING", "VARCHAR", "BIGINT", "BIGINT", "INT", "INTEGER", "DATE", "DATE");

    private DatabricksFakeSql() {
    }

    private static RuntimeException notUnderstood(String what) {
        return DatabricksFakeError.notUnderstood(what);
    }

    /** Parses a Databricks column type such as {@code TIMESTAMP_NTZ}, {@code MAP<STRING, INT>}. */
    static ColumnType columnType(String type) {
        String text = type.strip();
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.startsWith("STRUCT<") || upper.startsWith("MAP<") || upper.startsWith("ARRAY<")) {
            String base = upper.substring(0, upper.indexOf('<'));
            return new ColumnType(base, normalizedTypeText(text), duckDbNested(text), Optional.empty());
        }
        if (upper.startsWith("DECIMAL")) {
            return new ColumnType("DECIMAL", upper.replace(" ", ""), upper.replace(" ", ""), Optional.empty());
        }
        return switch (upper) {
            case "STRING", "VARCHAR", "CHAR" -> new ColumnType("STRING", "STRING", "VARCHAR",
                    Optional.of(ArrowColumnType.UTF8));
            case "BIGINT", "LONG" -> new ColumnType("LONG", "BIGINT", "BIGINT", Optional.of(ArrowColumnType.INT64));
            case "INT", "INTEGER" -> new ColumnType("INT", "INT", "INTEGER", Optional.of(ArrowColumnType.INT32));
            case "BOOLEAN" -> new ColumnType("BOOLEAN", "BOOLEAN", "BOOLEAN", Optional.of(ArrowColumnType.BOOL));
            case "DOUBLE" -> new ColumnType("DOUBLE", "DOUBLE", "DOUBLE", Optional.of(ArrowColumnType.FLOAT64));
            case "DATE" -> new ColumnType("DATE", "DATE", "DATE", Optional.of(ArrowColumnType.DATE_DAYS));
            case "TIMESTAMP" -> new ColumnType("TIMESTAMP", "TIMESTAMP", "TIMESTAMPTZ",
                    Optional.of(ArrowColumnType.TIMESTAMP_MICROS_UTC));
            case "TIMESTAMP_NTZ" -> new ColumnType("TIMESTAMP_NTZ", "TIMESTAMP_NTZ", "TIMESTAMP",
                    Optional.of(ArrowColumnType.TIMESTAMP_MICROS));
            default -> throw new IllegalArgumentException("The fake Databricks SQL warehouse does not support the type "
                    + type);
        };
    }

    /**
     * The Databricks type of a DuckDB type, for serving a DuckDB file and for typing query results, or empty when
     * there is none.
     */
    static Optional<ColumnType> columnTypeForDuckDb(String duckDbType) {
        String type = duckDbType.strip().toUpperCase(Locale.ROOT);
        if (type.startsWith("STRUCT(") || type.startsWith("MAP(") || type.endsWith("[]")) {
            return Optional.of(new ColumnType(type.startsWith("STRUCT") ? "STRUCT" : type.startsWith("MAP") ? "MAP"
                    : "ARRAY", databricksNested(duckDbType.strip()), duckDbType.strip(), Optional.empty()));
        }
        return switch (type) {
            case "VARCHAR", "JSON" -> Optional.of(columnType("STRING"));
            case "BIGINT", "HUGEINT", "UINTEGER" -> Optional.of(columnType("BIGINT"));
            case "INTEGER", "SMALLINT", "TINYINT", "USMALLINT", "UTINYINT" -> Optional.of(columnType("INT"));
            case "BOOLEAN" -> Optional.of(columnType("BOOLEAN"));
            case "DOUBLE", "FLOAT" -> Optional.of(columnType("DOUBLE"));
            case "DATE" -> Optional.of(columnType("DATE"));
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> Optional.of(columnType("TIMESTAMP"));
            case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" -> Optional.of(columnType("TIMESTAMP_NTZ"));
            default -> Optional.empty();
        };
    }

    /** {@code STRUCT<a:INT,b: string>} as Databricks prints it: {@code STRUCT<a: INT, b: STRING>}. */
    private static String normalizedTypeText(String type) {
        return databricksNested(duckDbNested(type));
    }

    /** A Databricks nested type in DuckDB syntax: {@code STRUCT<a: INT>} becomes {@code STRUCT("a" INTEGER)}. */
    private static String duckDbNested(String type) {
        String text = type.strip();
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.startsWith("STRUCT<") && text.endsWith(">")) {
            StringBuilder out = new StringBuilder("STRUCT(");
            String separator = "";
            for (String field : splitTopLevel(text.substring(7, text.length() - 1))) {
                int colon = field.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("Not a STRUCT field: " + field);
                }
                out.append(separator).append(quote(field.substring(0, colon).strip())).append(' ')
                        .append(duckDbNested(field.substring(colon + 1)));
                separator = ", ";
            }
            return out.append(')').toString();
        }
        if (upper.startsWith("MAP<") && text.endsWith(">")) {
            List<String> parts = splitTopLevel(text.substring(4, text.length() - 1));
            if (parts.size() != 2) {
                throw new IllegalArgumentException("Not a MAP type: " + type);
            }
            return "MAP(" + duckDbNested(parts.get(0)) + ", " + duckDbNested(parts.get(1)) + ")";
        }
        if (upper.startsWith("ARRAY<") && text.endsWith(">")) {
            return duckDbNested(text.substring(6, text.length() - 1)) + "[]";
        }
        return columnType(text).duckDbType();
    }

    /** A DuckDB type in Databricks syntax: {@code STRUCT(a INTEGER)} becomes {@code STRUCT<a: INT>}. */
    private static String databricksNested(String type) {
        String text = type.strip();
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.startsWith("STRUCT(") && text.endsWith(")")) {
            StringBuilder out = new StringBuilder("STRUCT<");
            String separator = "";
            for (String field : splitTopLevel(text.substring(7, text.length() - 1))) {
                String name;
                String rest;
                if (field.startsWith("\"")) {
                    int end = field.indexOf('"', 1);
                    name = field.substring(1, end);
                    rest = field.substring(end + 1);
                } else {
                    int space = field.indexOf(' ');
                    name = field.substring(0, space);
                    rest = field.substring(space + 1);
                }
                out.append(separator).append(name).append(": ").append(databricksNested(rest));
                separator = ", ";
            }
            return out.append('>').toString();
        }
        if (upper.startsWith("MAP(") && text.endsWith(")")) {
            List<String> parts = splitTopLevel(text.substring(4, text.length() - 1));
            return "MAP<" + databricksNested(parts.get(0)) + ", " + databricksNested(parts.get(1)) + ">";
        }
        if (text.endsWith("[]")) {
            return "ARRAY<" + databricksNested(text.substring(0, text.length() - 2)) + ">";
        }
        return columnTypeForDuckDb(text).map(ColumnType::typeText).orElseThrow(() ->
                new IllegalArgumentException("The fake Databricks SQL warehouse does not support the DuckDB type "
                        + type));
    }

    /** Splits a list at the commas outside parentheses and angle brackets. */
    static List<String> splitTopLevel(String list) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '(' || c == '<') {
                depth++;
            } else if (c == ')' || c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(list.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (!list.substring(start).isBlank()) {
            parts.add(list.substring(start).strip());
        }
        return parts;
    }

    /** Quotes an identifier for DuckDB. */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * Parses a table name of one to three parts, backticks or not, into lower-case parts.
     *
     * @param name such as {@code main.sales.orders} or {@code `main`.`sales`.`Orders`}
     * @return the parts
     */
    static List<String> nameParts(String name) {
        List<String> parts = new ArrayList<>();
        boolean expectPart = true;
        for (Token token : FakeSqlLexer.tokenize(name, RULES)) {
            if (expectPart && (token.kind() == Kind.QUOTED || token.kind() == Kind.WORD)) {
                parts.add(token.identifier().toLowerCase(Locale.ROOT));
                expectPart = false;
            } else if (!expectPart && token.is(".")) {
                expectPart = true;
            } else {
                throw new IllegalArgumentException("Not a Databricks table name: " + name);
            }
        }
        if (expectPart || parts.isEmpty() || parts.size() > 3) {
            throw new IllegalArgumentException("Not a Databricks table name: " + name);
        }
        return List.copyOf(parts);
    }

    /**
     * Parses one statement of the accepted shapes.
     *
     * @param sql the Databricks SQL text
     * @param tableResolver the table for a name's lower-case parts (one to three); throws {@link DatabricksFakeError}
     *     when it does not exist or the principal may not read it
     * @param currentTimestamp a DuckDB expression for the warehouse clock now, as {@code TIMESTAMPTZ}
     * @return the statement
     */
    static Statement parse(String sql, Function<List<String>, Table> tableResolver, String currentTimestamp) {
        List<Token> tokens = FakeSqlLexer.tokenize(sql, RULES);
        if (!tokens.isEmpty() && tokens.get(0).isWord("SET")) {
            return setQueryTags(tokens);
        }
        if (tokens.isEmpty() || !tokens.get(0).isWord("SELECT")) {
            throw DatabricksFakeError.notUnderstood("this statement (it serves SELECT and SET QUERY_TAGS only): "
                    + abbreviate(sql));
        }
        return new Select(select(tokens, tableResolver, currentTimestamp));
    }

    private static SetQueryTags setQueryTags(List<Token> tokens) {
        Map<String, String> tags = new LinkedHashMap<>();
        int i = 1;
        while (true) {
            if (i + 5 >= tokens.size() || !tokens.get(i).isWord("QUERY_TAGS") || !tokens.get(i + 1).is("[")
                    || tokens.get(i + 2).kind() != Kind.STRING || !tokens.get(i + 3).is("]")
                    || !tokens.get(i + 4).is("=") || tokens.get(i + 5).kind() != Kind.STRING) {
                throw DatabricksFakeError.notUnderstood("this SET (it serves SET QUERY_TAGS['key'] = 'value', ...)");
            }
            tags.put(tokens.get(i + 2).identifier().strip(), tokens.get(i + 5).identifier().strip());
            i += 6;
            if (i == tokens.size()) {
                return new SetQueryTags(tags);
            }
            if (!tokens.get(i).is(",")) {
                throw DatabricksFakeError.notUnderstood("'" + tokens.get(i).text() + "' in SET QUERY_TAGS");
            }
            i++;
        }
    }

    private static Query select(List<Token> tokens, Function<List<String>, Table> tableResolver,
            String currentTimestamp) {
        Optional<FakeSqlLexer.FromClause> from = FakeSqlLexer.fromClause(tokens, RULES);
        int fromIndex = from.map(FakeSqlLexer.FromClause::fromIndex).orElse(-1);
        int tableEnd = from.map(FakeSqlLexer.FromClause::end).orElse(-1);
        Table table = null;
        if (from.isPresent()) {
            if (from.get().nameTokens().size() > 3) {
                throw DatabricksFakeError.notUnderstood("the FROM clause (it takes one table name)");
            }
            table = tableResolver.apply(from.get().nameTokens().stream()
                    .map(token -> token.identifier().toLowerCase(Locale.ROOT)).toList());
        }
        boolean selectStar = tokens.size() > 1 && tokens.get(1).is("*") && fromIndex == 2;
        StringBuilder out = new StringBuilder(128);
        Deque<String> closers = new ArrayDeque<>();
        int parameters = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (i == fromIndex) {
                out.append(" FROM ").append(quote(table.duckDbName()));
                i = tableEnd - 1;
                continue;
            }
            boolean call = i + 1 < tokens.size() && tokens.get(i + 1).is("(");
            switch (token.kind()) {
                case STRING -> out.append(" '").append(token.identifier().replace("'", "''")).append('\'');
                case NUMBER -> out.append(' ').append(token.text());
                case QUOTED -> out.append(' ').append(column(table, token.identifier(), token.text()));
                case PARAMETER -> throw DatabricksFakeError.notUnderstood("named parameters");
                case SYMBOL -> {
                    if (!SYMBOLS.contains(token.text())) {
                        throw DatabricksFakeError.notUnderstood("'" + token.text() + "'");
                    }
                    if (token.is("?")) {
                        parameters++;
                        out.append(" ?");
                    } else if (token.is("(")) {
                        closers.push(")");
                        out.append('(');
                    } else if (token.is(")")) {
                        out.append(closers.isEmpty() ? ")" : closers.pop());
                    } else {
                        out.append(' ').append(token.text());
                    }
                }
                case WORD -> {
                    String word = token.text().toUpperCase(Locale.ROOT);
                    if (word.equals("UNIX_MICROS") && call) {
                        out.append(" epoch_us");
                    } else if (word.equals("TO_JSON") && call) {
                        out.append(" CAST(to_json(");
                        closers.push(") AS VARCHAR)");
                        i += 1;
                    } else if (word.equals("CURRENT_TIMESTAMP")) {
                        if (call) {
                            if (i + 2 >= tokens.size() || !tokens.get(i + 2).is(")")) {
                                throw DatabricksFakeError.notUnderstood("current_timestamp with arguments");
                            }
                            i += 2;
                        }
                        out.append(' ').append(currentTimestamp);
                    } else if (i > 0 && tokens.get(i - 1).isWord("AS") && CAST_TYPES.containsKey(word)) {
                        out.append(' ').append(CAST_TYPES.get(word));
                    } else if (KEYWORDS.contains(word)) {
                        out.append(' ').append(word);
                    } else if (call) {
                        throw DatabricksFakeError.notUnderstood("the function " + token.text());
                    } else {
                        out.append(' ').append(column(table, token.text(), "`" + token.text() + "`"));
                    }
                }
            }
        }
        return new Query(out.toString().trim(), Optional.ofNullable(table), parameters, selectStar);
    }

    private static String column(Table table, String identifier, String text) {
        Optional<Column> column = table == null ? Optional.empty() : table.column(identifier);
        if (column.isEmpty()) {
            throw DatabricksFakeError.unresolvedColumn(text);
        }
        return quote(column.get().name());
    }

    static String abbreviate(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
