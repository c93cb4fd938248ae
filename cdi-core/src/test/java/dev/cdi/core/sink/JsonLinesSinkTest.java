package dev.cdi.core.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdi.api.DataType;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.WriteMode;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
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

    @Test
    void aPartialLastLineLeftByAKilledWriterIsCutBeforeAppending() throws Exception {
        Path file = directory.resolve("users.jsonl");
        Files.writeString(file, "{\"earlier\":true}\n{\"dataType\":\"attri");
        try (JsonLinesSink sink = new JsonLinesSink(file)) {
            sink.write(List.of(row("u1"))).toCompletableFuture().get();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2).first().isEqualTo("{\"earlier\":true}");
        for (String line : lines) {
            mapper.readTree(line);
        }
    }

    @Test
    void aFileHoldingOnlyAPartialLineIsEmptiedBeforeAppending() throws Exception {
        Path file = directory.resolve("users.jsonl");
        Files.writeString(file, "{\"torn\":" + "x".repeat(20_000));
        try (JsonLinesSink sink = new JsonLinesSink(file)) {
            sink.write(List.of(row("u1"))).toCompletableFuture().get();
        }
        assertThat(Files.readAllLines(file)).singleElement()
                .satisfies(line -> assertThat(mapper.readTree(line).get("identifier").get("value").asText()).isEqualTo("u1"));
    }

    @Test
    void aWriteThatFailsPartWayIsCutBackSoItsRetryLeavesEachLineOnce() throws Exception {
        Path file = directory.resolve("users.jsonl");
        AtomicInteger attempts = new AtomicInteger();
        UnaryOperator<OutputStream> fullDiskOnce = out -> attempts.incrementAndGet() == 2
                ? new FailingAfter(out, 100) : out;
        List<ResolvedRow> batch = List.of(row("u2"), row("u3"), row("u4"));
        try (JsonLinesSink sink = new JsonLinesSink(file, fullDiskOnce)) {
            sink.write(List.of(row("u1"))).toCompletableFuture().get();
            long acknowledged = Files.size(file);

            assertThatThrownBy(() -> sink.write(batch).toCompletableFuture().get())
                    .hasRootCauseMessage("No space left on device");
            assertThat(Files.size(file)).isEqualTo(acknowledged);

            assertThat(sink.write(batch).toCompletableFuture().get()).hasSize(3);
        }
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            ids.add(mapper.readTree(line).get("identifier").get("value").asText());
        }
        assertThat(ids).containsExactly("u1", "u2", "u3", "u4");
    }

    @Test
    void aSecondSinkOnTheSameFileIsRefusedWhileTheFirstIsOpen() throws Exception {
        Path file = directory.resolve("users.jsonl");
        try (JsonLinesSink first = new JsonLinesSink(file)) {
            assertThatThrownBy(() -> new JsonLinesSink(file))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("another sink");
            first.write(List.of(row("u1"))).toCompletableFuture().get();
        }
        try (JsonLinesSink again = new JsonLinesSink(file)) {
            again.write(List.of(row("u2"))).toCompletableFuture().get();
        }
        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void aPathThatIsNotARegularFileIsRefused() throws Exception {
        assertThatThrownBy(() -> new JsonLinesSink(directory))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("not a regular file");
        Path pipe = directory.resolve("pipe");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        } catch (java.io.IOException noMkfifo) {
            Assumptions.abort("mkfifo is not available here: " + noMkfifo.getMessage());
            return;
        }
        assertThat(mkfifo.waitFor()).isZero();
        assertThatThrownBy(() -> new JsonLinesSink(pipe))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("not a regular file");
    }

    private static ResolvedRow row(String externalId) {
        return new ResolvedRow(DataType.ATTRIBUTES, new Identifier.ExternalId(externalId), WriteMode.CREATE_OR_UPDATE,
                AT, Optional.of("{\"plan\":\"gold\"}"), false);
    }

    /** A stream over a disk that fills up after some bytes. */
    private static final class FailingAfter extends FilterOutputStream {
        private int left;

        FailingAfter(OutputStream out, int bytes) {
            super(out);
            this.left = bytes;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            if (left-- <= 0) {
                out.flush();
                throw new java.io.IOException("No space left on device");
            }
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            for (int i = 0; i < length; i++) {
                write(bytes[offset + i]);
            }
        }
    }
}
