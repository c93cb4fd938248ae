package dev.cdi.core.validation;

import java.util.Locale;
import java.util.Optional;

/** Checks and normalises email addresses: trimmed, domain lower-cased. */
final class EmailAddresses {
    private static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL_LENGTH = 64;

    private EmailAddresses() {
    }

    /** Returns the normalised address, or empty when it is not a valid address. */
    static Optional<String> normalise(String raw) {
        String email = raw.strip();
        int at = email.indexOf('@');
        if (email.length() > MAX_LENGTH || at <= 0 || at != email.lastIndexOf('@') || at > MAX_LOCAL_LENGTH) {
            return Optional.empty();
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!validLocalPart(local) || !validDomain(domain)) {
            return Optional.empty();
        }
        return Optional.of(local + "@" + domain);
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
                boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c > 127;
                if (!allowed) {
                    return false;
                }
            }
        }
        String topLevel = labels[labels.length - 1];
        return topLevel.length() >= 2 && !topLevel.chars().allMatch(Character::isDigit);
    }
}
