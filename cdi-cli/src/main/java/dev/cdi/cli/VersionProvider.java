package dev.cdi.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code --version} text: the build's version (filtered into a resource at build time) and the Java runtime.
 *
 * <p>Thread-safe (stateless).
 */
final class VersionProvider implements IVersionProvider {

    /** Creates the provider; picocli calls this. */
    VersionProvider() {
    }

    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {
            "cdi " + properties.getProperty("version", "(unknown version)"),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
