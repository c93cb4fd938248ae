package dev.cdi.core.validation;

import dev.cdi.api.RowErrorCode;

/**
 * A rule a row broke. Thrown inside validation only, and without a stack trace: it is an outcome, not a fault.
 */
final class RowProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final RowErrorCode code;

    RowProblem(RowErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    RowErrorCode code() {
        return code;
    }
}
