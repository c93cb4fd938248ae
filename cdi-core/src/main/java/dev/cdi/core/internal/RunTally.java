package dev.cdi.core.internal;

import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.Watermark;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The counts and row errors of one run as it goes. Not thread-safe. */
final class RunTally {
    private final int rowErrorsKept;
    private final List<RowError> rowErrors = new ArrayList<>();
    long rowsRead;
    long rowsSynced;
    long rowsFailed;
    long rowsDeferred;
    Instant firstUpdatedAt;
    Instant lastUpdatedAt;
    Optional<Watermark> watermark = Optional.empty();

    RunTally(int rowErrorsKept) {
        this.rowErrorsKept = rowErrorsKept;
    }

    void read(Instant updatedAt) {
        rowsRead++;
        if (firstUpdatedAt == null) {
            firstUpdatedAt = updatedAt;
        }
        lastUpdatedAt = updatedAt;
    }

    void failed(RowError error) {
        rowsFailed++;
        if (rowErrors.size() < rowErrorsKept) {
            rowErrors.add(error);
        }
    }

    void rejected(ResolvedRow row, RowErrorCode code, String message) {
        failed(new RowError(code, message, Optional.of(row.identifier()), Optional.of(row.updatedAt()),
                row.payloadJson()));
    }

    List<RowError> rowErrors() {
        return rowErrors;
    }
}
