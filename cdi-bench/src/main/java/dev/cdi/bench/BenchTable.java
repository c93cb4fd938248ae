package dev.cdi.bench;

/**
 * The benchmark's attributes table: realistic payloads of about 200 bytes with some nesting, a mix of identifier
 * kinds (external id 70 %, email 15 %, phone 10 %, alias 5 %) and four rows per {@code UPDATED_AT} value. Built by
 * one {@code INSERT ... SELECT} whose only engine-specific parts are the row series and the timestamp.
 */
final class BenchTable {
    static final String COLUMNS = "UPDATED_AT, EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, EMAIL, PHONE, PAYLOAD";

    private BenchTable() {
    }

    /**
     * The SELECT list producing one row per {@code i}.
     *
     * @param updatedAt the engine's expression for {@code UPDATED_AT} from {@code i}
     */
    static String selectList(String updatedAt) {
        return updatedAt + ", "
                + "CASE WHEN i % 20 < 14 THEN 'user-' || CAST(i AS VARCHAR) END, "
                + "CASE WHEN i % 20 = 19 THEN 'anon-' || CAST(i AS VARCHAR) END, "
                + "CASE WHEN i % 20 = 19 THEN 'device_id' END, "
                + "CASE WHEN i % 20 IN (14, 15, 16) THEN 'user' || CAST(i AS VARCHAR) || '@example.com' END, "
                + "CASE WHEN i % 20 IN (17, 18) THEN '+1415' || lpad(CAST(i % 10000000 AS VARCHAR), 7, '0') END, "
                + "'{\"first_name\":\"Name' || CAST(i AS VARCHAR) || '\",\"plan\":\"' "
                + "|| CASE WHEN i % 3 = 0 THEN 'gold' ELSE 'free' END || '\",\"score\":' || CAST(i % 1000 AS VARCHAR) "
                + "|| ',\"address\":{\"city\":\"City' || CAST(i % 500 AS VARCHAR) || '\",\"zip\":\"' "
                + "|| lpad(CAST(i % 99999 AS VARCHAR), 5, '0') || '\"},\"tags\":[\"a\",\"b\",\"c' "
                + "|| CAST(i % 7 AS VARCHAR) || '\"],\"active\":true,\"last_order\":\"2025-12-' "
                + "|| lpad(CAST(i % 28 + 1 AS VARCHAR), 2, '0') || '\"}'";
    }
}
