package dev.cdi.testkit;

/**
 * The Arrow types {@link ArrowStreamEncoder} writes, each with the Java class of its values.
 *
 * <p>Thread-safe (an enum).
 */
enum ArrowColumnType {
    /** {@code Utf8}; values are {@link String}. */
    UTF8(String.class),
    /** {@code Int(64, signed)}; values are {@link Long}. */
    INT64(Long.class),
    /** {@code Int(32, signed)}; values are {@link Integer}. */
    INT32(Integer.class),
    /** {@code FloatingPoint(DOUBLE)}; values are {@link Double}. */
    FLOAT64(Double.class),
    /** {@code Bool}; values are {@link Boolean}. */
    BOOL(Boolean.class),
    /** {@code Timestamp(MICROSECOND, "Etc/UTC")}; values are {@link Long} microseconds since the epoch. */
    TIMESTAMP_MICROS_UTC(Long.class),
    /** {@code Timestamp(MICROSECOND)} without a time zone; values are {@link Long} microseconds since the epoch. */
    TIMESTAMP_MICROS(Long.class),
    /** {@code Date(DAY)}; values are {@link Integer} days since the epoch. */
    DATE_DAYS(Integer.class);

    private final Class<?> valueClass;

    ArrowColumnType(Class<?> valueClass) {
        this.valueClass = valueClass;
    }

    /** The class every non-null value of a column of this type must have (exactly, no widening). */
    Class<?> valueClass() {
        return valueClass;
    }
}
