package dev.cdi.core.validation;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.cdi.api.RowErrorCode;

/**
 * Normalises phone numbers to E.164 with Google's libphonenumber, which knows each country's number lengths and
 * national trunk prefixes ({@code +44 (0)20 ...} is {@code +4420...}). Spaces, dashes, dots and parentheses may
 * separate digits; {@code 00} stands for {@code +}; a 10-digit number without a country code is a US number, as is
 * an 11-digit one starting with 1. Any other number without a country code is refused, because guessing its
 * country could message the wrong person. Thread-safe.
 */
final class PhoneNumbers {
    static final int MAX_DIGITS = 15;
    private static final PhoneNumberUtil NUMBERS = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /**
     * Returns the E.164 form.
     *
     * @throws RowProblem {@code INVALID_IDENTIFIER} for more than 15 digits, {@code INVALID_PHONE} for a number that
     *         is not one, whose country is unknown, or that is too short or too long for its country
     */
    static String normalise(String raw) {
        String text = raw.strip();
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (!(c == '+' && i == 0) && c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
                throw invalid("it holds characters other than digits, a leading +, spaces, dashes, dots and parentheses");
            }
        }
        boolean international = text.startsWith("+");
        if (!international && text.startsWith("00")) {
            text = "+" + text.substring(2);
            digits -= 2;
            international = true;
        }
        if (digits > MAX_DIGITS) {
            throw new RowProblem(RowErrorCode.INVALID_IDENTIFIER, "PHONE has " + digits + " digits; E.164 allows at most "
                    + MAX_DIGITS);
        }
        if (!international && !(digits == 10 || (digits == 11 && firstDigit(text) == '1'))) {
            throw invalid("it has no country code; write it as +<country code><number>");
        }
        PhoneNumber number;
        try {
            number = NUMBERS.parse(text, international ? "ZZ" : "US");
        } catch (NumberParseException e) {
            throw invalid(e.getErrorType() == NumberParseException.ErrorType.INVALID_COUNTRY_CODE
                    ? "its country code is unknown" : "it cannot be read as a phone number");
        }
        ValidationResult possible = NUMBERS.isPossibleNumberWithReason(number);
        switch (possible) {
            case IS_POSSIBLE:
                break;
            case TOO_SHORT:
            case INVALID_LENGTH:
            case IS_POSSIBLE_LOCAL_ONLY:
                throw invalid("it is too short for country code +" + number.getCountryCode());
            case TOO_LONG:
                throw invalid("it is too long for country code +" + number.getCountryCode());
            case INVALID_COUNTRY_CODE:
                throw invalid("its country code is unknown");
        }
        return NUMBERS.format(number, PhoneNumberFormat.E164);
    }

    private static char firstDigit(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isDigit(text.charAt(i))) {
                return text.charAt(i);
            }
        }
        return ' ';
    }

    private static RowProblem invalid(String why) {
        return new RowProblem(RowErrorCode.INVALID_PHONE, "PHONE is not a valid phone number: " + why
                + " (write it in E.164 form, +<country code><number>; a 10-digit number without + is taken as a US number)");
    }
}
