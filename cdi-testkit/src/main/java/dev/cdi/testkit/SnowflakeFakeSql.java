package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import dev.cdi.testkit.FakeSqlLexer.Kind;
import dev.cdi.testkit.FakeSqlLexer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL side of {@link TestingSnowflakeServer}: Snowflake column types and their DuckDB storage, Snowflake
 * identifier rules, and the translation of the few statement shapes the fake accepts into DuckDB SQL. Anything
 * else is refused with a {@link SnowflakeFakeError} naming what was not understood. Stateless, thread-safe.
 */
final class SnowflakeFakeSql {

    /** A column type: the Snowflake name kept for the result metadata, and how DuckDB stores it. */
    record ColumnType(String snowflakeName, String rowType, String duckDbType, int precision, int scale,
            int length) {
        ColumnType {
            requireNonNull(snowflakeName, "snowflakeName is null");
            requireNonNull(rowType, "rowType is null");
            requireNonNull(duckDbType, "duckDbType is null");
        }
    }

    /** A column of a table the fake serves. */
    record Column(String name, ColumnType type) {
        Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** A table the fake serves: its Snowflake name parts, its DuckDB relation and its columns. */
    record Table(String database, String schema, String name, String duckDbName, List<Column> columns) {
        Table {
            requireNonNull(database, "database is null");
            requireNonNull(schema, "schema is null");
            requireNonNull(name, "name is null");
            requireNonNull(duckDbName, "duckDbName is null");
            columns = List.copyOf(columns);
        }

        String qualifiedName() {
            return database + "." + schema + "." + name;
        }

        Optional<Column> column(String columnName) {
            return columns.stream().filter(column -> column.name().equals(columnName)).findFirst();
        }
    }

    /** What a translated statement runs on DuckDB, and the table it reads, if any. */
    record Translation(String duckDbSql, Optional<Table> table, int parameterCount, boolean selectStar) {
    }

    static final int MAX_TEXT_LENGTH = 16_777_216;

    private static final Pattern TYPE = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z_0-9 ]*?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*");
    private static final Set<String> KEYWORDS = Set.of("SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IS", "NULL",
            "ORDER", "BY", "ASC", "DESC", "NULLS", "FIRST", "LAST", "LIMIT", "CAST", "AS", "SUM", "COUNT", "CASE",
            "WHEN", "THEN", "ELSE", "END", "TRUE", "FALSE");
    private static final Set<String> SYMBOLS = Set.of("(", ")", ",", ".", "*", "=", "<", ">", "<=", ">=", "<>", "!=",
            "?");

    private SnowflakeFakeSql() {
    }

    /** Parses a Snowflake column type such as {@code TIMESTAMP_NTZ(9)} or {@code NUMBER(38,0)}. */
    static ColumnType columnType(String snowflakeType) {
        Matcher matcher = TYPE.matcher(snowflakeType);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a Snowflake column type: " + snowflakeType);
        }
        String base = matcher.group(1).trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        Integer first = matcher.group(2) == null ? null : Integer.valueOf(matcher.group(2));
        Integer second = matcher.group(3) == null ? null : Integer.valueOf(matcher.group(3));
        int timestampScale = first == null ? 9 : first;
        return switch (base) {
            case "TIMESTAMP_NTZ", "TIMESTAMP", "DATETIME" -> new ColumnType("TIMESTAMP_NTZ(" + timestampScale + ")",
                    "timestamp_ntz", "TIMESTAMP_NS", 0, timestampScale, 0);
            case "TIMESTAMP_LTZ" -> new ColumnType("TIMESTAMP_LTZ(" + timestampScale + ")", "timestamp_ltz",
                    "TIMESTAMPTZ", 0, timestampScale, 0);
            case "TIMESTAMP_TZ" -> new ColumnType("TIMESTAMP_TZ(" + timestampScale + ")", "timestamp_tz",
                    "TIMESTAMPTZ", 0, timestampScale, 0);
            case "VARIANT" -> new ColumnType("VARIANT", "variant", "JSON", 0, 0, MAX_TEXT_LENGTH);
            case "OBJECT" -> new ColumnType("OBJECT", "object", "JSON", 0, 0, MAX_TEXT_LENGTH);
            case "ARRAY" -> new ColumnType("ARRAY", "array", "JSON", 0, 0, MAX_TEXT_LENGTH);
            case "VARCHAR", "TEXT", "STRING", "CHAR", "CHARACTER", "NVARCHAR", "CHAR VARYING" -> {
                int length = first == null ? ("CHAR".equals(base) || "CHARACTER".equals(base) ? 1 : MAX_TEXT_LENGTH)
                        : first;
                yield new ColumnType("VARCHAR(" + length + ")", "text", "VARCHAR", 0, 0, length);
            }
            case "BOOLEAN" -> new ColumnType("BOOLEAN", "boolean", "BOOLEAN", 0, 0, 0);
            case "NUMBER", "DECIMAL", "NUMERIC" -> {
                int precision = first == null ? 38 : first;
                int scale = second == null ? 0 : second;
                if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
                    throw new IllegalArgumentException("Bad precision or scale: " + snowflakeType);
                }
                yield new ColumnType("NUMBER(" + precision + "," + scale + ")", "fixed",
                        "DECIMAL(" + precision + "," + scale + ")", precision, scale, 0);
            }
            case "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT" ->
                    new ColumnType("NUMBER(38,0)", "fixed", "DECIMAL(38,0)", 38, 0, 0);
            case "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL" ->
                    new ColumnType("FLOAT", "real", "DOUBLE", 0, 0, 0);
            case "DATE" -> new ColumnType("DATE", "date", "DATE", 0, 0, 0);
            default -> throw new IllegalArgumentException("The fake Snowflake server does not support the type "
                    + snowflakeType);
        };
    }

    /**
     * The Snowflake column type for a DuckDB column type, for serving an existing DuckDB file, or empty when
     * there is none.
     */
    static Optional<ColumnType> columnTypeForDuckDb(String duckDbType) {
        String type = duckDbType.toUpperCase(Locale.ROOT);
        if (type.startsWith("DECIMAL")) {
            return Optional.of(columnType(type.replace("DECIMAL", "NUMBER")));
        }
        return switch (type) {
            case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S", "DATETIME" ->
                    Optional.of(columnType("TIMESTAMP_NTZ(9)"));
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> Optional.of(columnType("TIMESTAMP_LTZ(9)"));
            case "JSON" -> Optional.of(columnType("VARIANT"));
            case "VARCHAR" -> Optional.of(columnType("VARCHAR"));
            case "BOOLEAN" -> Optional.of(columnType("BOOLEAN"));
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                    "UBIGINT" -> Optional.of(columnType("NUMBER(38,0)"));
            case "FLOAT", "DOUBLE" -> Optional.of(columnType("FLOAT"));
            case "DATE" -> Optional.of(columnType("DATE"));
            default -> type.startsWith("STRUCT") || type.startsWith("MAP")
                    ? Optional.of(columnType("OBJECT"))
                    : Optional.empty();
        };
    }

    /**
     * Splits a Snowflake object name ({@code DB.SCHEMA.TABLE}, parts quoted or not) into its parts with
     * Snowflake's case rules: unquoted parts resolve upper case, quoted parts keep their case.
     */
    static List<String> nameParts(String name) {
        List<Token> tokens = tokenize(name);
        List<String> parts = new ArrayList<>();
        boolean expectPart = true;
        for (Token token : tokens) {
            if (expectPart && (token.kind() == Kind.QUOTED || token.kind() == Kind.WORD)) {
                parts.add(token.identifier());
                expectPart = false;
            } else if (!expectPart && token.is(".")) {
                expectPart = true;
            } else {
                throw new IllegalArgumentException("Not a Snowflake object name: " + name);
            }
        }
        if (expectPart || parts.isEmpty()) {
            throw new IllegalArgumentException("Not a Snowflake object name: " + name);
        }
        return List.copyOf(parts);
    }

    /** Quotes an identifier for DuckDB or Snowflake (both double quotes, doubled inside). */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * Translates one statement of the accepted shapes into DuckDB SQL.
     *
     * @param sql the Snowflake SQL text
     * @param tableResolver the table for a name's parts (one to three, Snowflake case already applied); throws
     *     {@link SnowflakeFakeError} when it does not exist or is not authorized
     * @param sysdate a DuckDB expression for the warehouse clock now, as TIMESTAMP_NS in UTC
     */
    static Translation translate(String sql, Function<List<String>, Table> tableResolver, String sysdate) {
        List<Token> tokens = tokenize(sql);
        if (tokens.isEmpty() || !tokens.get(0).isWord("SELECT")) {
            throw SnowflakeFakeError.notUnderstood("this statement (it serves SELECT and ALTER SESSION SET"
                    + " QUERY_TAG only): " + abbreviate(sql));
        }
        Optional<FakeSqlLexer.FromClause> from = FakeSqlLexer.fromClause(tokens, RULES);
        int fromIndex = from.map(FakeSqlLexer.FromClause::fromIndex).orElse(-1);
        int tableEnd = from.map(FakeSqlLexer.FromClause::end).orElse(-1);
        Table table = null;
        if (from.isPresent()) {
            if (from.get().nameTokens().size() > 3) {
                throw SnowflakeFakeError.notUnderstood("the FROM clause (it takes one table name)");
            }
            table = tableResolver.apply(from.get().nameTokens().stream().map(Token::identifier).toList());
        }
        boolean selectStar = tokens.size() > 1 && tokens.get(1).is("*") && fromIndex == 2;
        StringBuilder out = new StringBuilder(sql.length() + 32);
        Deque<String> closers = new ArrayDeque<>();
        int parameters = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (i == fromIndex) {
                out.append(" FROM ").append(quote(table.duckDbName()));
                i = tableEnd - 1;
                continue;
            }
            switch (token.kind()) {
                case STRING -> out.append(' ').append(token.text());
                case NUMBER -> out.append(' ').append(token.text());
                case QUOTED -> out.append(' ').append(column(table, token.identifier(), token.text()));
                case SYMBOL -> {
                    if (!SYMBOLS.contains(token.text())) {
                        throw SnowflakeFakeError.notUnderstood("'" + token.text() + "'");
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
                    boolean call = i + 1 < tokens.size() && tokens.get(i + 1).is("(");
                    if (word.equals("DATE_PART") && call) {
                        if (i + 3 >= tokens.size() || !tokens.get(i + 2).isWord("EPOCH_NANOSECOND")
                                || !tokens.get(i + 3).is(",")) {
                            throw SnowflakeFakeError.notUnderstood("DATE_PART other than"
                                    + " DATE_PART(EPOCH_NANOSECOND, <timestamp>)");
                        }
                        out.append(" epoch_ns(");
                        closers.push(")");
                        i += 3;
                    } else if (word.equals("TO_JSON") && call) {
                        out.append(" CAST(to_json(");
                        closers.push(") AS VARCHAR)");
                        i += 1;
                    } else if (word.equals("SYSDATE") && call) {
                        if (i + 2 >= tokens.size() || !tokens.get(i + 2).is(")")) {
                            throw SnowflakeFakeError.notUnderstood("SYSDATE with arguments");
                        }
                        out.append(' ').append(sysdate);
                        i += 2;
                    } else if ((word.equals("TIMESTAMP_NTZ") || word.equals("TIMESTAMP_TZ")
                            || word.equals("TIMESTAMP_LTZ") || word.equals("VARCHAR")) && i > 0
                            && tokens.get(i - 1).isWord("AS")) {
                        out.append(' ').append(word.equals("TIMESTAMP_NTZ") ? "TIMESTAMP_NS"
                                : word.equals("VARCHAR") ? "VARCHAR" : "TIMESTAMPTZ");
                        if (call) {
                            if (i + 3 >= tokens.size() || tokens.get(i + 2).kind() != Kind.NUMBER
                                    || !tokens.get(i + 3).is(")")) {
                                throw SnowflakeFakeError.notUnderstood("the type arguments of " + word);
                            }
                            i += 3;
                        }
                    } else if (KEYWORDS.contains(word)) {
                        out.append(' ').append(word);
                    } else if (call) {
                        throw SnowflakeFakeError.notUnderstood("the function " + word);
                    } else if (table != null && table.column(word).isPresent()) {
                        out.append(' ').append(quote(word));
                    } else {
                        throw SnowflakeFakeError.notUnderstood("'" + token.text() + "'");
                    }
                }
            }
        }
        return new Translation(out.toString().trim(), Optional.ofNullable(table), parameters, selectStar);
    }

    private static String column(Table table, String identifier, String text) {
        if (table == null || table.column(identifier).isEmpty()) {
            throw SnowflakeFakeError.invalidIdentifier(text);
        }
        return quote(identifier);
    }

    static String abbreviate(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    static final FakeSqlLexer.Rules RULES = new FakeSqlLexer.Rules('"', "'", true, FakeSqlLexer.UnquotedCase.UPPER,
            (char) 0, true, SnowflakeFakeError::notUnderstood);

    static List<Token> tokenize(String sql) {
        return FakeSqlLexer.tokenize(sql, RULES);
    }
}
