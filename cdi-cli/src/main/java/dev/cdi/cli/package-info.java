/**
 * The {@code cdi} command line: a zero-set-up demo on an embedded DuckDB ({@code cdi demo}) and syncs driven by a
 * YAML or JSON configuration file ({@code cdi sync}). The file format, the {@code --json} output and the exit codes
 * are a contract that scripts rely on (SPEC section 12); the classes are not API.
 */
package dev.cdi.cli;
