package dev.cdi.bench;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads every row of a result, touching every value as text and doing nothing else. */
final class RawScan {
    private RawScan() {
    }

    /**
     * Reads the rest of a result.
     *
     * @param result the result, before its first row
     * @param columns how many columns to read per row
     * @return the rows read
     */
    static long readAll(ResultSet result, int columns) throws SQLException {
        long rows = 0;
        long touched = 0;
        while (result.next()) {
            for (int column = 1; column <= columns; column++) {
                String value = result.getString(column);
                touched += value == null ? 0 : value.length();
            }
            rows++;
        }
        Blackhole.consume(touched);
        return rows;
    }
}
