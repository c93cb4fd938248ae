package dev.cdi.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only an absent state file means "first run"; a state file that exists but cannot be read stops the run. */
class FileStateStoreUnreadableTest {
    @TempDir
    Path directory;

    @Test
    void anAbsentFileIsAFirstRun() {
        assertThat(new FileStateStore(directory).load("users")).isEmpty();
    }

    @Test
    void aDirectoryWhereTheStateFileShouldBeIsAnErrorNamingIt() throws Exception {
        Path file = Files.createDirectories(directory.resolve("users.state.json"));

        assertThatThrownBy(() -> new FileStateStore(directory).load("users"))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_STORE_FAILED))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a regular file");
    }

    @Test
    void aDanglingLinkWhereTheStateFileShouldBeIsAnError() throws Exception {
        Path file = Files.createSymbolicLink(directory.resolve("users.state.json"), directory.resolve("gone.json"));

        assertThatThrownBy(() -> new FileStateStore(directory).load("users"))
                .isInstanceOf(CdiException.class).hasMessageContaining(file.toString());
    }

    @Test
    void aFileThatCannotBeReadIsAnErrorNamingIt() throws Exception {
        Path file = Files.writeString(directory.resolve("users.state.json"), "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(file),
                "this user reads files whatever their permissions (root), so a permission failure cannot be made");

        assertThatThrownBy(() -> new FileStateStore(directory).load("users"))
                .isInstanceOf(CdiException.class).hasMessageContaining(file.toString());
    }
}
