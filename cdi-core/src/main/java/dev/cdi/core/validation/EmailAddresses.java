package dev.cdi.core.validation;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks and normalises email addresses: trimmed, the domain put in one canonical form by IDN normalisation
 * (nameprep, then back to Unicode), so that a domain compares equal however it was written and whatever the JVM's
 * locale; the local part is kept as written. Thread-safe.
 */
final class EmailAddresses {
    static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL_LENGTH = 64;

    private EmailAddresses() {
    }

    /** Returns the normalised address, or empty when it is not a valid address. */
    static Optional<String> normalise(String raw) {
        String email = raw.strip();
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@') || at > MAX_LOCAL_LENGTH) {
            return Optional.empty();
        }
        String local = email.substring(0, at);
        if (!validLocalPart(local)) {
            return Optional.empty();
        }
        String domain = email.substring(at + 1);
        String ascii;
        try {
            // For an ASCII domain, nameprep is exactly lower-casing: the common case skips the IDN machinery.
            ascii = isAscii(domain) ? domain.toLowerCase(Locale.ROOT)
                    : IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notADomain) {
            return Optional.empty();
        }
        if (!validDomain(ascii)) {
            return Optional.empty();
        }
        return Optional.of(local + "@" + (ascii.contains("xn--") ? IDN.toUnicode(ascii, IDN.ALLOW_UNASSIGNED) : ascii));
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean validLocalPart(String local) {
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c <= ' ' || c == 127 || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '<'
                    || c == '>' || c == '[' || c == ']' || c == '\\' || c == '"') {
                return false;
            }
        }
        return true;
    }

    /** Checks the ASCII (punycode) form: labels of letters, digits and inner hyphens, a non-numeric top level. */
    private static boolean validDomain(String domain) {
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                    return false;
                }
            }
        }
        String topLevel = labels[labels.length - 1];
        return topLevel.length() >= 2 && !topLevel.chars().allMatch(Character::isDigit);
    }
}
