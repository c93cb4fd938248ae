/**
 * Validation and resolution of one source row (SPEC sections 5 and 6): {@link dev.cdi.core.validation.RowValidator}
 * turns a {@link dev.cdi.api.SourceRow} into a {@link dev.cdi.api.ResolvedRow} or a {@link dev.cdi.api.RowError}.
 */
package dev.cdi.core.validation;
