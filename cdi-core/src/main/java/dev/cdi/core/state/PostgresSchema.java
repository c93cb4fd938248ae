package dev.cdi.core.state;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Creates and migrates the tables of {@link PostgresStateStore}, recording the layout in {@code schema_version}. */
final class PostgresSchema {

    /** Statements that bring the layout from version {@code index} to {@code index + 1}. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            "CREATE TABLE {s}.state ("
                    + "integration text PRIMARY KEY, "
                    + "watermark_second bigint NOT NULL, "
                    + "watermark_nano integer NOT NULL, "
                    + "rows_at_watermark bigint NOT NULL, "
                    + "fingerprints bytea NOT NULL, "
                    + "fingerprints_complete boolean NOT NULL, "
                    + "saved_at timestamptz NOT NULL DEFAULT now())",
            // holder is NULL once released; token keeps growing per integration (fencing).
            "CREATE TABLE {s}.lease ("
                    + "integration text PRIMARY KEY, "
                    + "holder text, "
                    + "token bigint NOT NULL, "
                    + "expires_at timestamptz NOT NULL)",
            "CREATE TABLE {s}.run ("
                    + "run_id text PRIMARY KEY, "
                    + "integration text NOT NULL, "
                    + "status text NOT NULL, "
                    + "started_second bigint NOT NULL, "
                    + "started_nano integer NOT NULL, "
                    + "finished_at text, "
                    + "rows_read bigint NOT NULL, "
                    + "rows_synced bigint NOT NULL, "
                    + "rows_failed bigint NOT NULL, "
                    + "rows_deferred bigint NOT NULL, "
                    + "first_updated_at text, "
                    + "last_updated_at text, "
                    + "watermark_updated_at text, "
                    + "watermark_rows bigint, "
                    + "error_code text, "
                    + "error_message text)",
            "CREATE INDEX run_by_integration ON {s}.run (integration, started_second DESC, started_nano DESC)",
            "CREATE TABLE {s}.run_row_error ("
                    + "run_id text NOT NULL REFERENCES {s}.run (run_id) ON DELETE CASCADE, "
                    + "position integer NOT NULL, "
                    + "integration text NOT NULL, "
                    + "code text NOT NULL, "
                    + "message text NOT NULL, "
                    + "identifier_type text, "
                    + "identifier_value text, "
                    + "identifier_label text NOT NULL, "
                    + "updated_at text, "
                    + "payload_excerpt text, "
                    + "PRIMARY KEY (run_id, position))",
            "CREATE INDEX run_row_error_by_identifier "
                    + "ON {s}.run_row_error (integration, identifier_type, identifier_value, identifier_label)"),
            // Version 2: the integrations registry. Workspaces are never deleted; a credential may be deleted while
            // draft integrations still name it, so integration has no foreign key to credential.
            List.of(
                    "CREATE TABLE {s}.workspace ("
                            + "name text PRIMARY KEY, "
                            + "zone text NOT NULL, "
                            + "saved_at timestamptz NOT NULL DEFAULT now())",
                    // encrypted_values maps each key to SecretCipher ciphertext; plaintext never reaches the database.
                    "CREATE TABLE {s}.credential ("
                            + "name text PRIMARY KEY, "
                            + "workspace text NOT NULL REFERENCES {s}.workspace (name), "
                            + "connector text NOT NULL, "
                            + "encrypted_values jsonb NOT NULL, "
                            + "saved_at timestamptz NOT NULL DEFAULT now())",
                    "CREATE TABLE {s}.integration ("
                            + "name text PRIMARY KEY, "
                            + "workspace text NOT NULL REFERENCES {s}.workspace (name), "
                            + "status text NOT NULL, "
                            + "last_test text NOT NULL, "
                            + "definition text NOT NULL, "
                            + "saved_at timestamptz NOT NULL DEFAULT now())"),
            // Version 3: the store becomes the registry's source of truth, shared by several service instances. Every
            // commit is a compare-and-set on one revision row; each integration keeps the revision of its last change.
            List.of(
                    "CREATE TABLE {s}.registry_revision ("
                            + "id integer PRIMARY KEY CHECK (id = 1), "
                            + "revision bigint NOT NULL)",
                    "INSERT INTO {s}.registry_revision (id, revision) "
                            + "SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM {s}.integration) THEN 1 ELSE 0 END",
                    "ALTER TABLE {s}.integration ADD COLUMN version bigint NOT NULL DEFAULT 1"));

    private PostgresSchema() {
    }

    static void migrate(PostgresDatabase database) {
        migrate(database, PostgresStateStore.SCHEMA_VERSION);
    }

    /** Brings the layout up to version {@code target}; targets below the current version are for tests. */
    static void migrate(PostgresDatabase database, int target) {
        database.inTransaction("Creating the tables", connection -> migrate(database, connection, target));
    }

    private static Void migrate(PostgresDatabase database, Connection connection, int target) throws SQLException {
        String schema = database.schema();
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "dev.cdi.state:" + schema);
            lock.executeQuery().close();
        }
        boolean exists;
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            select.setString(1, schema);
            try (ResultSet row = select.executeQuery()) {
                exists = row.next();
            }
        }
        try (Statement statement = connection.createStatement()) {
            // Checked first because CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when it exists.
            if (!exists) {
                statement.execute(database.sql("CREATE SCHEMA {s}"));
            }
            statement.execute(database.sql("CREATE TABLE IF NOT EXISTS {s}.schema_version ("
                    + "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"));
            int current;
            try (ResultSet row = statement.executeQuery(
                    database.sql("SELECT coalesce(max(version), 0) FROM {s}.schema_version"))) {
                row.next();
                current = row.getInt(1);
            }
            int supported = PostgresStateStore.SCHEMA_VERSION;
            if (current > supported) {
                throw new CdiException(ErrorCode.STATE_STORE_FAILED, "PostgreSQL schema " + schema + " has layout version "
                        + current + ", written by a newer CDI; this version reads up to " + supported
                        + ". Upgrade CDI or use another schema");
            }
            for (int version = current + 1; version <= target; version++) {
                for (String ddl : MIGRATIONS.get(version - 1)) {
                    statement.execute(database.sql(ddl));
                }
                statement.execute(database.sql("INSERT INTO {s}.schema_version (version) VALUES (" + version + ")"));
            }
        }
        return null;
    }
}
