package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Experimental;
import dev.cdi.api.TableName;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What one warehouse's SQL does differently from ANSI SQL, whatever client it is reached through. A dialect decides
 * once, when a table is described, how each column is selected, read and compared (its {@link ColumnMapping}); it
 * never builds a whole query ({@link SqlQueryBuilder} does) and never sees a value (values are bound parameters).
 *
 * <p>Every method has an ANSI default except {@link #name()}: double-quoted identifiers, any {@code TIMESTAMP...} or
 * {@code DATETIME...} type as {@code UPDATED_AT} at microseconds, character and JSON types as {@code PAYLOAD},
 * {@code BOOLEAN} as {@code DELETED}, {@code ?} markers, {@code LIMIT n}, {@code SELECT CURRENT_TIMESTAMP}. A
 * warehouse overrides the few it needs, usually the two column mappings and the current-time query.
 *
 * <p>Implementations must be immutable and thread-safe. The mapping methods are called once per column when a table
 * is described or a query is built, never per row.
 */
@Experimental
public interface SqlDialect {

    /**
     * A short name of the warehouse for messages, such as {@code duckdb}.
     *
     * @return the name
     */
    String name();

    /**
     * Quotes one identifier (a database, schema, table or column name) so that it is taken literally, whatever
     * characters it holds. The default uses ANSI double quotes and doubles any double quote inside.
     *
     * @param identifier the name as written, not empty, without control characters
     * @return the quoted identifier
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the name is empty or holds a control
     *         character
     */
    default String quoteIdentifier(String identifier) {
        checkIdentifier(identifier);
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * The mapping of {@code UPDATED_AT} for a column of this type, with its {@link TimestampComparison}. The default
     * accepts every {@code TIMESTAMP...} and {@code DATETIME...} type, at microseconds: a zoned type read as an
     * {@link ValueForm#OFFSET_DATE_TIME} and compared as {@code TIMESTAMP WITH TIME ZONE}, any other read as a
     * {@link ValueForm#LOCAL_DATE_TIME} holding UTC and compared as {@code TIMESTAMP}.
     *
     * @param type the column's type
     * @return the mapping, or empty when this dialect cannot read {@code UPDATED_AT} from the type
     */
    default Optional<ColumnMapping> updatedAtMapping(SourceType type) {
        if (!type.base().startsWith("TIMESTAMP") && !type.base().startsWith("DATETIME")) {
            return Optional.empty();
        }
        boolean zoned = type.isZonedTimestamp();
        return Optional.of(ColumnMapping.timestamp(SelectExpression.column(),
                zoned ? ValueForm.OFFSET_DATE_TIME : ValueForm.LOCAL_DATE_TIME,
                new TimestampComparison(ChronoUnit.MICROS, zoned, zoned ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP")));
    }

    /**
     * The mapping of {@code PAYLOAD}, selected as JSON text. The default accepts character, text, string, JSON and
     * CLOB types, selected as they are; a dialect converts structured types in the select expression.
     *
     * @param type the column's type
     * @return the mapping, or empty when this dialect cannot read {@code PAYLOAD} from the type
     */
    default Optional<ColumnMapping> payloadMapping(SourceType type) {
        String base = type.base();
        boolean text = base.contains("CHAR") || base.contains("TEXT") || base.contains("STRING")
                || base.contains("JSON") || base.contains("CLOB");
        return text ? Optional.of(ColumnMapping.of(ValueForm.TEXT)) : Optional.empty();
    }

    /**
     * The mapping of {@code DELETED}, read as a boolean. The default accepts {@code BOOLEAN}, {@code BOOL} and
     * {@code BIT}.
     *
     * @param type the column's type
     * @return the mapping, or empty when this dialect cannot read {@code DELETED} from the type
     */
    default Optional<ColumnMapping> deletedMapping(SourceType type) {
        String base = type.base();
        boolean bool = base.equals("BOOLEAN") || base.equals("BOOL") || base.equals("BIT");
        return bool ? Optional.of(ColumnMapping.of(ValueForm.BOOLEAN)) : Optional.empty();
    }

    /**
     * The mapping of an identifier column ({@code EXTERNAL_ID}, {@code EMAIL}, {@code ID}, ...), read as text. The
     * default selects the column itself whatever its type.
     *
     * @param type the column's type
     * @return the mapping
     */
    default ColumnMapping textMapping(SourceType type) {
        return ColumnMapping.of(ValueForm.TEXT);
    }

    /**
     * The types this dialect reads a column from, for the message that refuses another.
     *
     * @param column the column
     * @return a short human-readable list, such as {@code TIMESTAMP or TIMESTAMPTZ}
     */
    default String supportedTypes(Column column) {
        return switch (column) {
            case UPDATED_AT -> "a TIMESTAMP or DATETIME type";
            case PAYLOAD -> "a character or JSON type";
            case DELETED -> "BOOLEAN";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> "any type readable as text";
        };
    }

    /**
     * The query that returns the warehouse's current time. The default is {@code SELECT CURRENT_TIMESTAMP}, read as an
     * {@link ValueForm#OFFSET_DATE_TIME}.
     *
     * @return the query
     */
    default CurrentTimeQuery currentTimeQuery() {
        return CurrentTimeQuery.of("SELECT CURRENT_TIMESTAMP", ValueForm.OFFSET_DATE_TIME);
    }

    /**
     * The marker of the parameter at an index. The default is {@code ?} (JDBC); a client with named parameters
     * writes a name, such as {@code @p0}.
     *
     * @param index the 0-based index of the parameter in the query
     * @return the marker
     */
    default String parameterMarker(int index) {
        return "?";
    }

    /**
     * The expression a bound instant is compared through. It should have the column's own type, so that the warehouse
     * compares the column itself (and can prune by it). The default casts the marker to
     * {@link TimestampComparison#castType()}; a client whose parameters carry their type (BigQuery's) writes the
     * marker alone.
     *
     * @param comparison the column's comparison
     * @param index the 0-based index of the parameter in the query
     * @return a SQL expression holding the parameter's marker once
     */
    default String boundExpression(TimestampComparison comparison, int index) {
        return "CAST(" + parameterMarker(index) + " AS " + comparison.castType() + ")";
    }

    /**
     * The aggregate that counts the rows a query matches. The default is {@code COUNT(*)}; a warehouse whose
     * {@code COUNT} is a 32-bit integer writes its 64-bit count, such as T-SQL's {@code COUNT_BIG(*)}.
     *
     * @return the aggregate expression
     */
    default String countAll() {
        return "COUNT(*)";
    }

    /**
     * What {@link SqlQueryBuilder#countEach} sums for each row a filter matches. The default is {@code 1}; a
     * warehouse whose sum of integers is a 32-bit integer writes a 64-bit one, such as {@code CAST(1 AS BIGINT)}.
     *
     * @return a SQL expression worth one
     */
    default String countedOne() {
        return "1";
    }

    /**
     * Limits a query to its first rows. The default appends {@code LIMIT n}; a dialect may write {@code TOP n} or
     * {@code FETCH FIRST n ROWS ONLY} instead. The limit is a number, not text from a user, so it is written into the
     * SQL: several drivers refuse a parameter marker there.
     *
     * @param query a complete {@code SELECT} with its {@code ORDER BY}
     * @param limit the most rows to return, at least 0
     * @return the limited query
     */
    default String applyLimit(String query, long limit) {
        return query + " LIMIT " + limit;
    }

    /**
     * Renders a table name for a {@code FROM} clause: each part quoted by {@link #quoteIdentifier}, joined by dots.
     *
     * @param table the table or view
     * @return the qualified, quoted name
     */
    default String qualifiedTableName(TableName table) {
        requireNonNull(table, "table is null");
        StringBuilder sql = new StringBuilder();
        table.database().ifPresent(database -> sql.append(quoteIdentifier(database)).append('.'));
        return sql.append(quoteIdentifier(table.schema())).append('.').append(quoteIdentifier(table.table()))
                .toString();
    }

    /**
     * Checks that an identifier can be quoted: not empty and without control characters.
     *
     * @param identifier the name
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when it cannot
     */
    static void checkIdentifier(String identifier) {
        requireNonNull(identifier, "identifier is null");
        if (identifier.isEmpty()) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "An identifier must not be empty");
        }
        for (int i = 0; i < identifier.length(); i++) {
            if (Character.isISOControl(identifier.charAt(i))) {
                // The name itself is not shown: printing control characters could forge log lines.
                throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                        "An identifier contains a control character at position " + i);
            }
        }
    }
}
