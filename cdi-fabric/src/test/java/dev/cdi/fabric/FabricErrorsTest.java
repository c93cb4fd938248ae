package dev.cdi.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mapping of SQL Server's error numbers and Entra's failures, on exceptions built as the driver builds them. */
class FabricErrorsTest {
    private static final FabricSettings SETTINGS = FabricSettings.parse(new ConnectorSettings(Map.of(
            "host", "abc.datawarehouse.fabric.microsoft.com", "warehouse", "wh",
            "tenantId", "72f988bf-86f1-41af-91ab-2d7cd011db47", "clientId", "11111111-2222-3333-4444-555555555555",
            "clientSecret", "x"), Set.of("clientSecret")));

    private static SQLException sqlServer(int number, String message) {
        return new SQLException(message, "S0001", number);
    }

    @Test
    void sqlServerNumbersMapToTheirCategories() {
        assertThat(FabricErrors.classify(sqlServer(18456, "Login failed"))).contains(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(FabricErrors.classify(sqlServer(4060, "Cannot open database"))).contains(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(FabricErrors.classify(sqlServer(208, "Invalid object name 'x'."))).contains(ErrorCode.TABLE_NOT_FOUND);
        assertThat(FabricErrors.classify(sqlServer(229, "The SELECT permission was denied")))
                .contains(ErrorCode.PERMISSION_DENIED);
        assertThat(FabricErrors.classify(sqlServer(230, "The SELECT permission was denied on the column")))
                .contains(ErrorCode.PERMISSION_DENIED);
        assertThat(FabricErrors.classify(sqlServer(207, "Invalid column name 'x'."))).contains(ErrorCode.MISSING_COLUMN);
        assertThat(FabricErrors.classify(sqlServer(102, "Incorrect syntax"))).contains(ErrorCode.STATEMENT_REFUSED);
        assertThat(FabricErrors.classify(sqlServer(12345, "something else"))).isEmpty();
    }

    @Test
    void theServicesTransientNumbersAndNetworkFailuresAreRetryableConnectivity() {
        for (int number : new int[] {40613, 40501, 40197, 10928, 10929, 49918, 4221}) {
            assertThat(FabricErrors.classify(sqlServer(number, "try again"))).as("%d", number)
                    .contains(ErrorCode.CONNECTION_FAILED);
        }
        assertThat(ErrorCode.CONNECTION_FAILED.retryable()).isTrue();
        assertThat(FabricErrors.classify(new SQLException("The TCP/IP connection to the host failed", "08S01", 0,
                new ConnectException("Connection refused")))).contains(ErrorCode.CONNECTION_FAILED);
    }

    @Test
    void aRefusedTokenRequestKeepsEntrasCodeAndAnUnreachableAuthorityIsConnectivity() {
        SQLException refused = FabricErrors.tokenRequestFailed(new RuntimeException(
                new IllegalStateException("AADSTS7000222: The provided client secret keys for app '...' are expired.")));
        assertThat(refused.getSQLState()).isEqualTo("28000");
        assertThat(refused.getMessage()).contains("AADSTS7000222");
        assertThat(FabricErrors.classify(refused)).contains(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(FabricErrors.advice(refused, SETTINGS)).hasValueSatisfying(advice ->
                assertThat(advice).contains("expired", "Rotate it", SETTINGS.clientId()));

        SQLException unreachable = FabricErrors.tokenRequestFailed(new RuntimeException(
                new IOException("Connection refused: login.microsoftonline.com")));
        assertThat(unreachable.getSQLState()).isEqualTo("08001");
    }
}
