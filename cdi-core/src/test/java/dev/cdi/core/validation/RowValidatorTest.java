package dev.cdi.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.Column;
import dev.cdi.api.DataType;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.SourceRow;
import dev.cdi.api.WriteMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RowValidatorTest {
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456Z");

    private static SourceRow row(Map<Column, String> values) {
        SourceRow.Builder builder = SourceRow.builder().updatedAt(AT);
        values.forEach(builder::value);
        return builder.build();
    }

    private static ResolvedRow valid(DataType type, Map<Column, String> values) {
        RowVerdict verdict = RowValidator.of(type, false).validate(row(values));
        assertThat(verdict).as("verdict on %s", values).isInstanceOf(RowVerdict.Valid.class);
        return ((RowVerdict.Valid) verdict).row();
    }

    private static RowError invalid(DataType type, SourceRow row) {
        RowVerdict verdict = RowValidator.of(type, false).validate(row);
        assertThat(verdict).isInstanceOf(RowVerdict.Invalid.class);
        return ((RowVerdict.Invalid) verdict).error();
    }

    private static RowError invalid(DataType type, Map<Column, String> values) {
        return invalid(type, row(values));
    }

    @Test
    void nullUpdatedAtIsARowError() {
        SourceRow row = SourceRow.builder().value(Column.EXTERNAL_ID, "u1").value(Column.PAYLOAD, "{}").build();
        RowError error = invalid(DataType.ATTRIBUTES, row);
        assertThat(error.code()).isEqualTo(RowErrorCode.NULL_UPDATED_AT);
        assertThat(error.identifier()).contains(new Identifier.ExternalId("u1"));
        assertThat(error.updatedAt()).isEmpty();
    }

    @Test
    void missingIdentifier() {
        assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.PAYLOAD, "{}")).code()).isEqualTo(RowErrorCode.MISSING_IDENTIFIER);
        assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "", Column.PAYLOAD, "{}")).code())
                .as("an empty string is no value").isEqualTo(RowErrorCode.MISSING_IDENTIFIER);
    }

    @Test
    void multipleIdentifiersExceptEmailWithPhone() {
        RowError error = invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.BRAZE_ID, "b1", Column.PAYLOAD, "{}"));
        assertThat(error.code()).isEqualTo(RowErrorCode.MULTIPLE_IDENTIFIERS);
        assertThat(error.message()).contains("EXTERNAL_ID", "BRAZE_ID");

        ResolvedRow row = valid(DataType.ATTRIBUTES, Map.of(Column.EMAIL, "a@example.com", Column.PHONE, "+14155550100",
                Column.PAYLOAD, "{}"));
        assertThat(row.identifier()).isEqualTo(new Identifier.Email("a@example.com"));
    }

    @Test
    void incompleteAlias() {
        assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.ALIAS_NAME, "n", Column.PAYLOAD, "{}")).code())
                .isEqualTo(RowErrorCode.INCOMPLETE_ALIAS);
        assertThat(valid(DataType.ATTRIBUTES, Map.of(Column.ALIAS_NAME, "n", Column.ALIAS_LABEL, "l", Column.PAYLOAD, "{}"))
                .identifier()).isEqualTo(new Identifier.UserAlias("n", "l"));
    }

    @Test
    void emailAndPhoneNotAllowedOnDeletes() {
        assertThat(invalid(DataType.USER_DELETES, Map.of(Column.EMAIL, "a@example.com")).code())
                .isEqualTo(RowErrorCode.IDENTIFIER_NOT_ALLOWED);
        assertThat(invalid(DataType.USER_DELETES, Map.of(Column.PHONE, "+14155550100")).code())
                .isEqualTo(RowErrorCode.IDENTIFIER_NOT_ALLOWED);
        ResolvedRow delete = valid(DataType.USER_DELETES, Map.of(Column.EXTERNAL_ID, "u1"));
        assertThat(delete.payloadJson()).isEmpty();
    }

    @Test
    void invalidEmail() {
        for (String bad : new String[] {"plainaddress", "a@b", "a@@example.com", "a b@example.com", ".a@example.com", "a@-x.com"}) {
            assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.EMAIL, bad, Column.PAYLOAD, "{}")).code())
                    .as(bad).isEqualTo(RowErrorCode.INVALID_EMAIL);
        }
    }

    @Test
    void emailIsTrimmedAndItsDomainLowerCased() {
        assertThat(valid(DataType.ATTRIBUTES, Map.of(Column.EMAIL, "  Jane.Doe@Example.COM ", Column.PAYLOAD, "{}")).identifier())
                .isEqualTo(new Identifier.Email("Jane.Doe@example.com"));
    }

    @Test
    void invalidPhone() {
        for (String bad : new String[] {"12345", "+0123456789", "phone", "4155550100x", "+44 20 794", "020 7946 0958",
                "+999 1234 5678"}) {
            assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.PHONE, bad, Column.PAYLOAD, "{}")).code())
                    .as(bad).isEqualTo(RowErrorCode.INVALID_PHONE);
        }
    }

    @Test
    void phoneIsNormalisedToE164AndTenDigitsAreUs() {
        assertThat(phone("(415) 555-0100")).isEqualTo("+14155550100");
        assertThat(phone("1-415-555-0100")).isEqualTo("+14155550100");
        assertThat(phone("+44 20 7946 0958")).isEqualTo("+442079460958");
        assertThat(phone("0044 20 7946 0958")).isEqualTo("+442079460958");
    }

    private static String phone(String raw) {
        return ((Identifier.Phone) valid(DataType.ATTRIBUTES, Map.of(Column.PHONE, raw, Column.PAYLOAD, "{}")).identifier()).value();
    }

    @Test
    void aNationalTrunkPrefixInParenthesesIsDropped() {
        assertThat(phone("+44 (0)20 7946 0958")).isEqualTo("+442079460958");
        assertThat(phone("+49 (0)30 901820")).isEqualTo("+4930901820");
        assertThat(phone("+39 06 6982 1234")).as("Italy keeps its leading 0").isEqualTo("+390669821234");
    }

    @Test
    void aPhoneTooShortForItsCountryNamesTheReason() {
        RowError error = invalid(DataType.ATTRIBUTES, Map.of(Column.PHONE, "+44 2079", Column.PAYLOAD, "{}"));
        assertThat(error.code()).isEqualTo(RowErrorCode.INVALID_PHONE);
        assertThat(error.message()).contains("too short for country code +44");
    }

    @Test
    void identifiersThatAreBlankHoldControlCharactersOrAreTooLongAreRefused() {
        for (String bad : new String[] {"  ", "\u00A0", " \u2003\u00A0 ", "u\u00001", "u1\n", "line\r\nbreak", "tab\there",
                "x".repeat(513)}) {
            for (Column column : new Column[] {Column.EXTERNAL_ID, Column.BRAZE_ID}) {
                RowError error = invalid(DataType.ATTRIBUTES, Map.of(column, bad, Column.PAYLOAD, "{}"));
                assertThat(error.code()).as("%s %s", column, bad.length()).isEqualTo(RowErrorCode.INVALID_IDENTIFIER);
                assertThat(error.message()).startsWith(column.name());
            }
        }
        RowError alias = invalid(DataType.ATTRIBUTES,
                Map.of(Column.ALIAS_NAME, "n\u0000", Column.ALIAS_LABEL, "label", Column.PAYLOAD, "{}"));
        assertThat(alias.code()).isEqualTo(RowErrorCode.INVALID_IDENTIFIER);
        assertThat(alias.message()).contains("U+0000");
        assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.EMAIL, "a".repeat(250) + "@x.io", Column.PAYLOAD, "{}"))
                .code()).isEqualTo(RowErrorCode.INVALID_IDENTIFIER);
        assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.PHONE, "+1234567890123456", Column.PAYLOAD, "{}"))
                .code()).isEqualTo(RowErrorCode.INVALID_IDENTIFIER);
        assertThat(valid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "x".repeat(512), Column.PAYLOAD, "{}"))
                .identifier()).isEqualTo(new Identifier.ExternalId("x".repeat(512)));
        assertThat(valid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, " u1 ", Column.PAYLOAD, "{}")).identifier())
                .as("an external id is kept exactly as written").isEqualTo(new Identifier.ExternalId(" u1 "));
    }

    @Test
    void aRowErrorKeepsOnlyAnExcerptOfAHugeIdentifier() {
        RowError error = invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "x".repeat(1_000_000),
                Column.PAYLOAD, "{}"));

        assertThat(error.code()).isEqualTo(RowErrorCode.INVALID_IDENTIFIER);
        assertThat(((Identifier.ExternalId) error.identifier().orElseThrow()).value()).hasSize(RowError.PAYLOAD_EXCERPT_LENGTH);
        assertThat(error.message()).hasSizeLessThan(200);
    }

    @Test
    void emailDomainsAreComparedAfterIdnNormalisationWhateverTheLocale() {
        java.util.Locale previous = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            String dotted = email("a@EXAMPLE.\u0130O");
            assertThat(email("a@example.i\u0307o")).isEqualTo(dotted);
            assertThat(email("a@" + java.net.IDN.toASCII("example.i\u0307o"))).isEqualTo(dotted);
            assertThat(email("Jane@B\u00DCCHER.de")).isEqualTo("Jane@b\u00FCcher.de");
            assertThat(email("Jane@xn--bcher-kva.de")).isEqualTo("Jane@b\u00FCcher.de");
            assertThat(email("Jane@EXAMPLE.IO")).isEqualTo("Jane@example.io");
        } finally {
            java.util.Locale.setDefault(previous);
        }
    }

    private static String email(String raw) {
        return ((Identifier.Email) valid(DataType.ATTRIBUTES, Map.of(Column.EMAIL, raw, Column.PAYLOAD, "{}")).identifier()).value();
    }

    @Test
    void duplicateKeysAreFoundAtEveryDepthAndAnyObjectSizeWhileTheSameKeyInSiblingObjectsIsFine() {
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 20; i++) {
            many.append("\"k").append(i).append("\":").append(i).append(',');
        }
        String manyKeys = many.append("\"k3\":0}").toString();
        for (String payload : List.of("{\"a\":[1,{\"x\":1,\"x\":2}]}", manyKeys,
                "{\"a\":{\"b\":{\"c\":{\"d\":1,\"e\":2,\"d\":3}}}}", "{\"a\":1,\"b\":2,\"a\":{}}")) {
            assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, payload)))
                    .as(payload).satisfies(error -> {
                        assertThat(error.code()).isEqualTo(RowErrorCode.INVALID_JSON);
                        assertThat(error.message()).contains("duplicate key");
                    });
            assertThat(invalid(DataType.CATALOG, Map.of(Column.ID, "item-1", Column.PAYLOAD, payload)).code())
                    .as("catalog " + payload).isEqualTo(RowErrorCode.INVALID_JSON);
        }
        valid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD,
                "{\"a\":{\"x\":1},\"b\":{\"x\":2},\"c\":[{\"x\":1},{\"x\":2}],\"x\":0}"));
        valid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, manyKeys.replace(",\"k3\":0", "")));
    }

    @Test
    void payloadsThatOtherParsersReadDifferentlyAreInvalidJson() {
        Map<String, String> cases = Map.of(
                "{\"plan\":\"gold\",\"plan\":\"silver\"}", "duplicate key",
                "{\"a\":{\"b\":1,\"b\":2}}", "duplicate key",
                "{\"score\":1e999}", "a double cannot hold",
                "{\"a\":[1,{\"b\":-1e999}]}", "a double cannot hold",
                "{\"big\":" + "9".repeat(400) + "}", "a double cannot hold",
                "{\"name\":\"\\ud800\"}", "unpaired surrogate",
                "{\"\\udc00key\":1}", "surrogate",
                "{\"a\":[\"\\ud83d\"]}", "unpaired surrogate",
                "{\"raw\":\"\ud800x\"}", "unpaired surrogate");
        cases.forEach((payload, reason) -> {
            RowError error = invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, payload));
            assertThat(error.code()).as(payload).isEqualTo(RowErrorCode.INVALID_JSON);
            assertThat(error.message()).as(payload).contains(reason);
        });
        for (String fine : new String[] {"{\"smile\":\"\\ud83d\\ude00\"}", "{\"smile\":\"\ud83d\ude00\"}",
                "{\"a\":{\"b\":1},\"c\":{\"b\":1}}", "{\"n\":1.7976931348623157e308,\"m\":" + "9".repeat(300) + "}"}) {
            valid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, fine));
        }
        assertThat(invalid(DataType.CATALOG, Map.of(Column.ID, "i1", Column.PAYLOAD,
                "{\"tags\":[\"a\",{\"x\":1,\"x\":2}]}")).code()).isEqualTo(RowErrorCode.INVALID_JSON);
    }

    @Test
    void missingPayload() {
        assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1")).code()).isEqualTo(RowErrorCode.MISSING_PAYLOAD);
        assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, "  ")).code())
                .isEqualTo(RowErrorCode.MISSING_PAYLOAD);
    }

    @Test
    void invalidJson() {
        for (String bad : new String[] {"{", "[1,2]", "\"text\"", "{\"a\":1} trailing", "{'a':1}", "42"}) {
            assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, bad)).code())
                    .as(bad).isEqualTo(RowErrorCode.INVALID_JSON);
        }
    }

    @Test
    void payloadTooLargeKeepsIdentifierAndATruncatedPayload() {
        String big = "{\"a\":\"" + "é".repeat(530_000) + "\"}";
        RowError error = invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, big));
        assertThat(error.code()).isEqualTo(RowErrorCode.PAYLOAD_TOO_LARGE);
        assertThat(error.message()).isEqualTo("Payload was greater than 1MB");
        assertThat(error.identifier()).contains(new Identifier.ExternalId("u1"));
        assertThat(error.payloadExcerpt().orElseThrow()).hasSize(RowError.PAYLOAD_EXCERPT_LENGTH);

        String exactlyOneMegabyte = "{\"a\":\"" + "x".repeat(1_048_576 - 8) + "\"}";
        assertThat(exactlyOneMegabyte.length()).isEqualTo(1_048_576);
        valid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, exactlyOneMegabyte));
        String oneByteOver = "{\"a\":\"" + "x".repeat(1_048_576 - 9) + "é\"}";
        assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, oneByteOver)).code())
                .isEqualTo(RowErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void tooManyAttributes() {
        String keys250 = IntStream.range(0, 250).mapToObj(i -> "\"k" + i + "\":" + i).collect(Collectors.joining(",", "{", "}"));
        String keys251 = IntStream.range(0, 251).mapToObj(i -> "\"k" + i + "\":" + i).collect(Collectors.joining(",", "{", "}"));
        valid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, keys250));
        assertThat(invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, keys251)).code())
                .isEqualTo(RowErrorCode.TOO_MANY_ATTRIBUTES);
    }

    @Test
    void identifierInPayload() {
        for (String field : new String[] {"external_id", "braze_id", "user_alias"}) {
            RowError error = invalid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, "{\"" + field + "\":\"x\"}"));
            assertThat(error.code()).isEqualTo(RowErrorCode.IDENTIFIER_IN_PAYLOAD);
            assertThat(error.message()).contains(field);
        }
        // Nested keys of the same name are ordinary data.
        valid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, "{\"profile\":{\"external_id\":\"x\"}}"));
    }

    @Test
    void eventFieldsMissingOrInvalid() {
        assertThat(invalid(DataType.EVENTS, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, "{\"app_id\":\"a\"}")).code())
                .isEqualTo(RowErrorCode.MISSING_FIELD);
        RowError emptyName = invalid(DataType.EVENTS, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, "{\"name\":\"\"}"));
        assertThat(emptyName.code()).isEqualTo(RowErrorCode.INVALID_FIELD);
        assertThat(emptyName.message()).contains("'name'");
        assertThat(invalid(DataType.EVENTS, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, "{\"name\":\"e\",\"time\":\"yesterday\"}"))
                .message()).contains("'time'");
        assertThat(invalid(DataType.EVENTS, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, "{\"name\":\"e\",\"properties\":[1]}"))
                .message()).contains("'properties'");
    }

    @Test
    void eventTimeDefaultsToUpdatedAt() {
        ResolvedRow row = valid(DataType.EVENTS, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, "{\"name\":\"opened\"}"));
        assertThat(row.payloadJson()).contains("{\"time\":\"2026-01-02T03:04:05.123456Z\",\"name\":\"opened\"}");
        ResolvedRow given = valid(DataType.EVENTS, Map.of(Column.EXTERNAL_ID, "u1",
                Column.PAYLOAD, "{\"name\":\"opened\",\"time\":\"2025-05-05T00:00:00Z\"}"));
        assertThat(given.payloadJson()).contains("{\"name\":\"opened\",\"time\":\"2025-05-05T00:00:00Z\"}");
    }

    @Test
    void purchaseFields() {
        String good = "{\"product_id\":\"p1\",\"currency\":\"USD\",\"price\":9.99,\"quantity\":2}";
        ResolvedRow row = valid(DataType.PURCHASES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, good));
        assertThat(row.payloadJson().orElseThrow()).startsWith("{\"time\":\"2026-01-02T03:04:05.123456Z\",\"product_id\"");

        assertThat(purchaseError("{\"currency\":\"USD\",\"price\":1}")).isEqualTo(RowErrorCode.MISSING_FIELD);
        assertThat(purchaseError("{\"product_id\":\"p\",\"price\":1}")).isEqualTo(RowErrorCode.MISSING_FIELD);
        assertThat(purchaseError("{\"product_id\":\"p\",\"currency\":\"USD\"}")).isEqualTo(RowErrorCode.MISSING_FIELD);
        assertThat(purchaseError("{\"product_id\":\"p\",\"currency\":\"XYZ\",\"price\":1}")).isEqualTo(RowErrorCode.INVALID_FIELD);
        assertThat(purchaseError("{\"product_id\":\"p\",\"currency\":\"USD\",\"price\":\"1\"}")).isEqualTo(RowErrorCode.INVALID_FIELD);
        assertThat(purchaseError("{\"product_id\":\"p\",\"currency\":\"USD\",\"price\":1,\"quantity\":101}"))
                .isEqualTo(RowErrorCode.INVALID_FIELD);
        assertThat(purchaseError("{\"product_id\":\"p\",\"currency\":\"USD\",\"price\":1,\"quantity\":0}"))
                .isEqualTo(RowErrorCode.INVALID_FIELD);
        assertThat(purchaseError("{\"product_id\":\"" + "p".repeat(256) + "\",\"currency\":\"USD\",\"price\":1}"))
                .isEqualTo(RowErrorCode.INVALID_FIELD);
    }

    private static RowErrorCode purchaseError(String payload) {
        return invalid(DataType.PURCHASES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, payload)).code();
    }

    @Test
    void invalidCatalogId() {
        assertThat(invalid(DataType.CATALOG, Map.of(Column.PAYLOAD, "{}")).code()).isEqualTo(RowErrorCode.INVALID_CATALOG_ID);
        assertThat(invalid(DataType.CATALOG, Map.of(Column.ID, "a b", Column.PAYLOAD, "{}")).code())
                .isEqualTo(RowErrorCode.INVALID_CATALOG_ID);
        assertThat(invalid(DataType.CATALOG, Map.of(Column.ID, "x".repeat(251), Column.PAYLOAD, "{}")).code())
                .isEqualTo(RowErrorCode.INVALID_CATALOG_ID);
        assertThat(valid(DataType.CATALOG, Map.of(Column.ID, "sku_1-A", Column.PAYLOAD, "{\"name\":\"Hat\"}")).identifier())
                .isEqualTo(new Identifier.CatalogItemId("sku_1-A"));
    }

    @Test
    void catalogFieldRules() {
        assertThat(invalid(DataType.CATALOG, Map.of(Column.ID, "i", Column.PAYLOAD, "{\"a.b\":1}")).code())
                .isEqualTo(RowErrorCode.INVALID_FIELD);
        assertThat(invalid(DataType.CATALOG, Map.of(Column.ID, "i", Column.PAYLOAD, "{\"$a\":1}")).code())
                .isEqualTo(RowErrorCode.INVALID_FIELD);
        assertThat(invalid(DataType.CATALOG, Map.of(Column.ID, "i", Column.PAYLOAD, "{\"a\":\"" + "x".repeat(5001) + "\"}")).code())
                .isEqualTo(RowErrorCode.INVALID_FIELD);
        ResolvedRow deletion = valid(DataType.CATALOG, Map.of(Column.ID, "i", Column.DELETED, "true"));
        assertThat(deletion.deleted()).isTrue();
        assertThat(deletion.payloadJson()).isEmpty();
    }

    @Test
    void brazeIdAndUpdateExistingOnlyAreUpdateOnly() {
        assertThat(valid(DataType.ATTRIBUTES, Map.of(Column.BRAZE_ID, "b1", Column.PAYLOAD, "{}")).writeMode())
                .isEqualTo(WriteMode.UPDATE_ONLY);
        assertThat(valid(DataType.ATTRIBUTES, Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, "{}")).writeMode())
                .isEqualTo(WriteMode.CREATE_OR_UPDATE);
        RowVerdict verdict = RowValidator.of(DataType.ATTRIBUTES, true).validate(row(Map.of(Column.EXTERNAL_ID, "u1", Column.PAYLOAD, "{}")));
        assertThat(((RowVerdict.Valid) verdict).row().writeMode()).isEqualTo(WriteMode.UPDATE_ONLY);
    }

    @Test
    void everyRowErrorCodeButUserNotFoundIsRaisedByValidation() {
        // USER_NOT_FOUND and REJECTED_BY_SINK are raised by sinks and the profile store; the testkit's and
        // cdi-braze's tests cover them.
        assertThat(RowErrorCode.values()).hasSize(19);
    }
}
