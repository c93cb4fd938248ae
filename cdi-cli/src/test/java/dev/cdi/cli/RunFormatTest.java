package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import dev.cdi.api.Watermark;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pins the --json line (a contract) and the human summary. */
class RunFormatTest {
    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
    private static final Instant WATERMARK = Instant.parse("2026-01-02T03:04:05.123456Z");

    @Test
    void jsonOfAPartialRun() {
        RunResult result = result(RunStatus.PARTIAL, Optional.of(new Watermark(WATERMARK, 1)), List.of(
                new RowError(RowErrorCode.INVALID_JSON, "PAYLOAD is not valid JSON", Optional.of(
                        new Identifier.ExternalId("u1")), Optional.of(WATERMARK), Optional.of("{")),
                new RowError(RowErrorCode.MISSING_IDENTIFIER, "no identifier", Optional.empty(),
                        Optional.of(START), Optional.empty()),
                new RowError(RowErrorCode.NULL_UPDATED_AT, "UPDATED_AT is NULL", Optional.of(
                        new Identifier.UserAlias("joe", "crm")), Optional.empty(), Optional.empty())),
                Optional.empty());

        assertThat(RunJson.format(result)).isEqualTo("{\"integration\":\"users\",\"status\":\"PARTIAL\","
                + "\"rowsRead\":10,\"rowsSynced\":7,\"rowsFailed\":3,\"rowsDeferred\":2,"
                + "\"watermark\":\"2026-01-02T03:04:05.123456Z\",\"rowErrors\":["
                + "{\"code\":\"INVALID_JSON\",\"message\":\"PAYLOAD is not valid JSON\","
                + "\"updatedAt\":\"2026-01-02T03:04:05.123456Z\",\"identifier\":{\"type\":\"external_id\",\"value\":\"u1\"}},"
                + "{\"code\":\"MISSING_IDENTIFIER\",\"message\":\"no identifier\",\"updatedAt\":\"2026-01-02T03:04:05Z\","
                + "\"identifier\":null},"
                + "{\"code\":\"NULL_UPDATED_AT\",\"message\":\"UPDATED_AT is NULL\",\"updatedAt\":null,"
                + "\"identifier\":{\"type\":\"user_alias\",\"alias_name\":\"joe\",\"alias_label\":\"crm\"}}]}");
    }

    @Test
    void jsonOfAFailedRunCarriesItsError() {
        RunResult result = result(RunStatus.ERROR, Optional.empty(), List.of(),
                Optional.of(new SyncError(ErrorCode.TABLE_NOT_FOUND, "Table main.users does not exist")));

        assertThat(RunJson.format(result)).isEqualTo("{\"integration\":\"users\",\"status\":\"ERROR\","
                + "\"rowsRead\":10,\"rowsSynced\":7,\"rowsFailed\":3,\"rowsDeferred\":2,\"watermark\":null,"
                + "\"error\":{\"category\":\"TABLE_NOT_FOUND\",\"message\":\"Table main.users does not exist\"},"
                + "\"rowErrors\":[]}");
    }

    @Test
    void humanSummary() {
        RunResult result = result(RunStatus.PARTIAL, Optional.of(new Watermark(WATERMARK, 1)), List.of(
                new RowError(RowErrorCode.INVALID_EMAIL, "EMAIL is not a valid address", Optional.empty(),
                        Optional.of(START), Optional.empty()),
                new RowError(RowErrorCode.INVALID_JSON, "PAYLOAD is not valid JSON", Optional.of(
                        new Identifier.UserAlias("joe", "crm")), Optional.empty(), Optional.empty())),
                Optional.empty());

        assertThat(RunReport.format(result)).isEqualTo(String.join(System.lineSeparator(),
                "users: PARTIAL in 1.50 s; rows read 10, synced 7, failed 3, deferred 2; "
                        + "watermark 2026-01-02T03:04:05.123456Z",
                "  row error INVALID_EMAIL: EMAIL is not a valid address [no identifier, UPDATED_AT 2026-01-02T03:04:05Z]",
                "  row error INVALID_JSON: PAYLOAD is not valid JSON [user_alias joe (label crm), UPDATED_AT NULL]",
                "  (and 1 more row errors)",
                ""));
    }

    @Test
    void humanSummaryOfAFailedRun() {
        RunResult result = result(RunStatus.CONFIG_ERROR, Optional.empty(), List.of(),
                Optional.of(new SyncError(ErrorCode.MISSING_COLUMN, "Table main.users has no UPDATED_AT column")));

        assertThat(RunReport.format(result)).startsWith(String.join(System.lineSeparator(),
                "users: CONFIG_ERROR in 1.50 s; rows read 10, synced 7, failed 3, deferred 2; watermark none",
                "  error SCHEMA: Table main.users has no UPDATED_AT column",
                ""));
    }

    @Test
    void humanSummaryShowsTheFirstRowErrorsOnly() {
        List<RowError> errors = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            errors.add(new RowError(RowErrorCode.INVALID_PHONE, "bad " + i,
                    Optional.of(new Identifier.Phone("+1555000" + i)), Optional.of(START), Optional.empty()));
        }
        RunResult result = new RunResult("run", "users", RunStatus.PARTIAL, START, START, 40, 0, 40, 0,
                Optional.of(START), Optional.of(START), Optional.empty(), errors, Optional.empty());

        String summary = RunReport.format(result);

        assertThat(summary.lines().filter(line -> line.startsWith("  row error"))).hasSize(RunReport.ROW_ERRORS_SHOWN);
        assertThat(summary).contains("[phone +15550000, UPDATED_AT 2026-01-02T03:04:05Z]")
                .endsWith("  (and 20 more row errors)" + System.lineSeparator());
    }

    private static RunResult result(RunStatus status, Optional<Watermark> watermark, List<RowError> rowErrors,
            Optional<SyncError> error) {
        return new RunResult("run-1", "users", status, START, START.plusMillis(1_500), 10, 7, 3, 2,
                Optional.of(START), Optional.of(WATERMARK), watermark, rowErrors, error);
    }
}
