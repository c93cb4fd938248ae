package dev.cdi.core.validation;

import java.util.Optional;

/**
 * Normalises phone numbers to E.164 ({@code +} then 7 to 15 digits, no leading zero). Spaces, dashes, dots and
 * parentheses are dropped; {@code 00} stands for {@code +}; a 10-digit number without a country code is a US
 * number ({@code +1}), as is an 11-digit one starting with 1. Any other number without {@code +} is refused,
 * because guessing its country could message the wrong person.
 */
final class PhoneNumbers {
    private static final int MIN_DIGITS = 7;
    private static final int MAX_DIGITS = 15;

    private PhoneNumbers() {
    }

    /** Returns the E.164 form, or empty when the number cannot be normalised. */
    static Optional<String> normalise(String raw) {
        String text = raw.strip();
        boolean international = false;
        StringBuilder digits = new StringBuilder(16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c == '+' && i == 0) {
                international = true;
            } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
                return Optional.empty();
            }
        }
        if (!international && digits.length() > 2 && digits.charAt(0) == '0' && digits.charAt(1) == '0') {
            digits.delete(0, 2);
            international = true;
        }
        if (!international) {
            if (digits.length() == 10 && digits.charAt(0) >= '2') {
                digits.insert(0, '1');
            } else if (!(digits.length() == 11 && digits.charAt(0) == '1' && digits.charAt(1) >= '2')) {
                return Optional.empty();
            }
        }
        if (digits.length() < MIN_DIGITS || digits.length() > MAX_DIGITS || digits.charAt(0) == '0') {
            return Optional.empty();
        }
        return Optional.of("+" + digits);
    }
}
