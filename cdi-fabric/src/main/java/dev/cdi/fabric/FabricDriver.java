package dev.cdi.fabric;

import static java.util.Objects.requireNonNull;

import com.microsoft.sqlserver.jdbc.SQLServerDataSource;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Microsoft's driver as the pool sees it: a {@link Driver} that connects through a {@link SQLServerDataSource} with the
 * {@link FabricTokens} callback (the only way to hand the driver a callback object rather than a class name). The URL
 * carries every property; none is secret, the secret stays in the credential.
 *
 * <p>The driver lets a failed token request escape as a raw {@link RuntimeException}; it becomes an
 * {@link SQLException} here ({@link FabricErrors#tokenRequestFailed}). A login refused with 18456 drops the cached
 * token. Thread-safe.
 */
final class FabricDriver implements Driver {
    private static final String PREFIX = "jdbc:sqlserver:";

    private final FabricTokens tokens;

    FabricDriver(FabricTokens tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        SQLServerDataSource dataSource = new SQLServerDataSource();
        dataSource.setURL(url);
        dataSource.setAccessTokenCallback(tokens);
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            if (e.getErrorCode() == FabricErrors.LOGIN_FAILED) {
                tokens.invalidate();
            }
            throw e;
        } catch (RuntimeException e) {
            throw FabricErrors.tokenRequestFailed(e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }
}
