package dev.cdi.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdi.api.DataType;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.WriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456Z");
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void writesOneLinePerRowInTheContractFormat() throws Exception {
        Path file = directory.resolve("out/users.jsonl");
        try (JsonLinesSink sink = new JsonLinesSink(file)) {
            List<RowOutcome> outcomes = sink.write(List.of(
                    new ResolvedRow(DataType.ATTRIBUTES, new Identifier.ExternalId("u1"), WriteMode.CREATE_OR_UPDATE, AT,
                            Optional.of("{\"plan\":\"gold\",\n \"n\":1}"), false),
                    new ResolvedRow(DataType.ATTRIBUTES, new Identifier.UserAlias("n", "l"), WriteMode.UPDATE_ONLY, AT,
                            Optional.of("{}"), false))).toCompletableFuture().get();
            assertThat(outcomes).containsExactly(RowOutcome.accepted(), RowOutcome.accepted());
            sink.write(List.of(
                    new ResolvedRow(DataType.CATALOG, new Identifier.CatalogItemId("sku1"), WriteMode.CREATE_OR_UPDATE, AT,
                            Optional.empty(), true),
                    new ResolvedRow(DataType.USER_DELETES, new Identifier.BrazeId("b1"), WriteMode.UPDATE_ONLY, AT,
                            Optional.empty(), false))).toCompletableFuture().get();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        assertThat(mapper.readTree(lines.get(0))).isEqualTo(mapper.readTree("{\"dataType\":\"attributes\","
                + "\"identifier\":{\"type\":\"external_id\",\"value\":\"u1\"},\"updateExistingOnly\":false,"
                + "\"updatedAt\":\"2026-01-02T03:04:05.123456Z\",\"payload\":{\"plan\":\"gold\",\"n\":1}}"));
        JsonNode alias = mapper.readTree(lines.get(1));
        assertThat(alias.get("identifier")).isEqualTo(mapper.readTree(
                "{\"type\":\"user_alias\",\"alias_name\":\"n\",\"alias_label\":\"l\"}"));
        assertThat(alias.get("updateExistingOnly").asBoolean()).isTrue();
        JsonNode deletion = mapper.readTree(lines.get(2));
        assertThat(deletion.get("deleted").asBoolean()).isTrue();
        assertThat(deletion.get("identifier")).isEqualTo(mapper.readTree("{\"type\":\"catalog_item\",\"value\":\"sku1\"}"));
        assertThat(mapper.readTree(lines.get(3)).has("payload")).isFalse();
    }

    @Test
    void appendsToAnExistingFile() throws Exception {
        Path file = directory.resolve("users.jsonl");
        Files.writeString(file, "{\"earlier\":true}\n");
        try (JsonLinesSink sink = new JsonLinesSink(file)) {
            sink.write(List.of(new ResolvedRow(DataType.ATTRIBUTES, new Identifier.ExternalId("u1"),
                    WriteMode.CREATE_OR_UPDATE, AT, Optional.of("{}"), false))).toCompletableFuture().get();
        }
        assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo("{\"earlier\":true}");
    }
}
