package dev.cdi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCategory;
import dev.cdi.core.ConnectionTestResult;
import dev.cdi.core.ConnectionTester;
import dev.cdi.core.ConnectorRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SPEC section 9's connection test: each failure names its category and says what to do; it reads nothing else. */
@ExtendWith(FakeWarehouseExtension.class)
class ConnectionTesterTest {
    private final ConnectionTester tester = new ConnectionTester(ConnectorRegistry.discover());

    @Test
    void passesWithAPreviewOfTheFirstTenRows(FakeWarehouse warehouse) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        for (int i = 0; i < 15; i++) {
            users.row().updatedAt(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)).externalId("u" + i).payload("{}").insert();
        }
        ConnectionTestResult result = tester.test(warehouse.spec("users", users, DataType.ATTRIBUTES).build());
        assertThat(result).isInstanceOfSatisfying(ConnectionTestResult.Passed.class,
                passed -> assertThat(passed.preview()).hasSize(ConnectionTester.DEFAULT_PREVIEW_ROWS));
    }

    @Test
    void eachFailureSaysItsCategoryAndWhatToDo(FakeWarehouse warehouse) {
        FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
        warehouse.faults().denyPermission();
        assertFailure(tester.test(warehouse.spec("users", users, DataType.ATTRIBUTES).build()), ErrorCategory.PERMISSIONS,
                "SELECT");
        warehouse.faults().clear();
        warehouse.dropTable("main.users");
        assertFailure(tester.test(warehouse.spec("users", users, DataType.ATTRIBUTES).build()), ErrorCategory.TABLE_NOT_FOUND,
                "exists");
        assertFailure(tester.test(warehouse.spec("users", users, DataType.ATTRIBUTES).build().toBuilder()
                .connector("nosuch", warehouse.connectorSettings()).build()), ErrorCategory.CONFIG, "configuration");
    }

    private static void assertFailure(ConnectionTestResult result, ErrorCategory category, String advice) {
        assertThat(result.passed()).isFalse();
        assertThat(result).isInstanceOfSatisfying(ConnectionTestResult.Failed.class, failed -> {
            assertThat(failed.error().category()).isEqualTo(category);
            assertThat(failed.advice()).contains(advice);
        });
    }
}
