package dev.cdi.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void masksSecretUrlParametersInEveryStyle() {
        assertThat(Redaction.redactUrl("jdbc:postgresql://host:5439/db?user=cdi&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://host:5439/db?user=cdi&password=****&ssl=true");
        assertThat(Redaction.redactUrl("jdbc:databricks://host:443/default;AuthMech=3;UID=token;PWD=dapi123;ssl=1"))
                .isEqualTo("jdbc:databricks://host:443/default;AuthMech=3;UID=token;PWD=****;ssl=1");
        assertThat(Redaction.redactUrl("jdbc:sqlserver://h;database=d;clientSecret=abc"))
                .isEqualTo("jdbc:sqlserver://h;database=d;clientSecret=****");
        assertThat(Redaction.redactUrl("jdbc:snowflake://acct.snowflakecomputing.com/?disablePlatformDetection=true&private_key_file_pwd=x&db=D"))
                .isEqualTo("jdbc:snowflake://acct.snowflakecomputing.com/?disablePlatformDetection=true&private_key_file_pwd=****&db=D");
    }

    @Test
    void masksPasswordsInUserInfo() {
        assertThat(Redaction.redactUrl("jdbc:redshift://cdi:hunter2@host:5439/db"))
                .isEqualTo("jdbc:redshift://cdi:****@host:5439/db");
    }

    @Test
    void leavesUrlsWithoutSecretsAlone() {
        assertThat(Redaction.redactUrl("jdbc:duckdb:/tmp/warehouse.duckdb")).isEqualTo("jdbc:duckdb:/tmp/warehouse.duckdb");
    }

    @Test
    void masksSecretProperties() {
        assertThat(Redaction.redactProperties(Map.of("user", "cdi", "password", "p", "token", "t", "custom", "c"),
                Set.of("custom")))
                .isEqualTo("{custom=****, password=****, token=****, user=cdi}");
    }
}
