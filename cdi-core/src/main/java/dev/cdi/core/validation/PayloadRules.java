package dev.cdi.core.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.cdi.api.DataType;
import dev.cdi.api.RowErrorCode;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a payload against its data type's rules with a streaming parser: no tree is built, nested values are
 * skipped after their syntax is checked. Thread-safe (the factory is).
 */
final class PayloadRules {
    static final int MAX_PAYLOAD_BYTES = 1_048_576;
    static final int MAX_ATTRIBUTES = 250;
    static final int MAX_PRODUCT_ID_LENGTH = 255;
    static final int MAX_CATALOG_VALUE_LENGTH = 5_000;
    static final int MIN_QUANTITY = 1;
    static final int MAX_QUANTITY = 100;

    private static final Set<String> IDENTIFIER_FIELDS = Set.of("external_id", "braze_id", "user_alias");
    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

    // Duplicate keys are found here (KeySet) rather than by Jackson's STRICT_DUPLICATE_DETECTION, whose hash set per
    // object was a sixth of the validation time in a profile of bench/run.
    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
            .build();

    /** What a valid payload revealed that resolution needs. */
    static final class Findings {
        boolean hasTime;
        int fieldCount;
    }

    /**
     * Checks the payload; throws {@link RowProblem} for the first broken rule.
     *
     * @return what resolution needs to know
     */
    Findings check(DataType dataType, String payload) {
        if (payload.isBlank()) {
            throw new RowProblem(RowErrorCode.MISSING_PAYLOAD, "PAYLOAD is empty");
        }
        if (utf8LengthExceeds(payload, MAX_PAYLOAD_BYTES)) {
            throw new RowProblem(RowErrorCode.PAYLOAD_TOO_LARGE, "Payload was greater than 1MB");
        }
        Findings findings = new Findings();
        // Surrogates and backslash-u escapes are rare: only a payload holding one has its strings checked for lone halves.
        boolean checkStrings = holdsSurrogateOrEscape(payload);
        try (JsonParser parser = factory.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new RowProblem(RowErrorCode.INVALID_JSON, "PAYLOAD is not a JSON object");
            }
            FieldState fields = new FieldState();
            KeySet keys = new KeySet();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                keys.add(name);
                findings.fieldCount++;
                if (checkStrings) {
                    checkSurrogates(name);
                }
                JsonToken value = parser.nextToken();
                checkField(dataType, name, value, parser, fields);
                if (!parser.currentToken().isStructEnd()) {
                    // A catalog field's nested value was walked already, to measure it.
                    checkValue(parser, checkStrings);
                }
            }
            if (parser.nextToken() != null) {
                throw new RowProblem(RowErrorCode.INVALID_JSON, "PAYLOAD has content after its JSON object");
            }
            finish(dataType, findings, fields);
        } catch (RowProblem problem) {
            throw problem;
        } catch (IOException e) {
            throw new RowProblem(RowErrorCode.INVALID_JSON, "PAYLOAD is not valid JSON: " + firstLine(e.getMessage()));
        }
        return findings;
    }

    /**
     * Walks the value at the parser (a scalar, or a whole object or array) checking what other parsers would read
     * differently: numbers a double cannot hold and, when asked, strings with half a surrogate pair. Leaves the
     * parser on the value's last token, as {@link JsonParser#skipChildren()} does.
     */
    private static void checkValue(JsonParser parser, boolean checkStrings) throws IOException {
        int depth = 0;
        // The key sets of the objects the walk is in, innermost last; arrays add none.
        List<KeySet> objects = null;
        JsonToken token = parser.currentToken();
        while (true) {
            switch (token) {
                case START_OBJECT -> {
                    depth++;
                    if (objects == null) {
                        objects = new ArrayList<>(4);
                    }
                    objects.add(new KeySet());
                }
                case START_ARRAY -> depth++;
                case END_OBJECT -> {
                    depth--;
                    objects.remove(objects.size() - 1);
                }
                case END_ARRAY -> depth--;
                case VALUE_NUMBER_FLOAT, VALUE_NUMBER_INT -> checkNumber(parser, token);
                case FIELD_NAME -> {
                    String name = parser.currentName();
                    objects.get(objects.size() - 1).add(name);
                    if (checkStrings) {
                        checkSurrogates(name);
                    }
                }
                case VALUE_STRING -> {
                    if (checkStrings) {
                        checkSurrogates(parser.getText());
                    }
                }
                default -> {
                }
            }
            if (depth == 0) {
                return;
            }
            token = parser.nextToken();
        }
    }

    private static void checkNumber(JsonParser parser, JsonToken token) throws IOException {
        // Integers are exact in any parser up to a double's range; only a huge one or an exponent can overflow.
        if (token == JsonToken.VALUE_NUMBER_INT && parser.getTextLength() <= 300) {
            return;
        }
        if (Double.isInfinite(parser.getDoubleValue())) {
            String text = parser.getText();
            throw new RowProblem(RowErrorCode.INVALID_JSON, "PAYLOAD has the number "
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                    + ", which a double cannot hold; other parsers would read it as infinity or refuse it");
        }
    }

    private static boolean holdsSurrogateOrEscape(String payload) {
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (Character.isSurrogate(c) || (c == '\\' && i + 1 < payload.length() && payload.charAt(i + 1) == 'u')) {
                return true;
            }
        }
        return false;
    }

    private static void checkSurrogates(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new RowProblem(RowErrorCode.INVALID_JSON, "PAYLOAD has a string with an unpaired surrogate (U+"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                        + "), which is not valid Unicode; other systems would drop or replace it");
            }
        }
    }

    /**
     * The keys of one JSON object, to refuse a duplicate: other parsers would keep a different one of its values.
     * Objects are small, so a linear search over an array beats a hash set until it holds more than a few keys.
     */
    private static final class KeySet {
        private static final int LINEAR = 8;
        private String[] keys = new String[LINEAR];
        private int size;
        private Set<String> many;

        void add(String key) {
            if (many != null) {
                if (!many.add(key)) {
                    throw duplicate(key);
                }
                return;
            }
            for (int i = 0; i < size; i++) {
                // Jackson hands out one instance per distinct name, so most comparisons end at ==.
                if (keys[i] == key || keys[i].equals(key)) {
                    throw duplicate(key);
                }
            }
            if (size == LINEAR) {
                many = new HashSet<>(Arrays.asList(keys));
                many.add(key);
                keys = null;
                return;
            }
            keys[size++] = key;
        }

        private static RowProblem duplicate(String key) {
            String cut = key.length() > 40 ? key.substring(0, 40) + "..." : key;
            String shown = cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            return new RowProblem(RowErrorCode.INVALID_JSON, "PAYLOAD has a duplicate key ('" + shown
                    + "'); other parsers would keep a different value");
        }
    }

    /** Which required fields a payload had, and the first identifier field it set. */
    private static final class FieldState {
        boolean name;
        boolean productId;
        boolean currency;
        boolean price;
        boolean time;
        String identifierField;
    }

    private static void checkField(DataType dataType, String name, JsonToken value, JsonParser parser, FieldState state)
            throws IOException {
        if (dataType.targetsUsers() && state.identifierField == null && IDENTIFIER_FIELDS.contains(name)) {
            state.identifierField = name;
        }
        switch (dataType) {
            case ATTRIBUTES, USER_DELETES -> {
            }
            case EVENTS -> checkEventField(name, value, parser, state);
            case PURCHASES -> checkPurchaseField(name, value, parser, state);
            case CATALOG -> checkCatalogField(name, value, parser);
        }
    }

    private static void checkEventField(String name, JsonToken value, JsonParser parser, FieldState state)
            throws IOException {
        switch (name) {
            case "name" -> {
                if (value != JsonToken.VALUE_STRING || parser.getText().isBlank()) {
                    throw invalidField("name", "a non-empty string");
                }
                state.name = true;
            }
            case "time", "app_id", "properties" -> checkCommonField(name, value, parser, state);
            default -> {
            }
        }
    }

    private static void checkPurchaseField(String name, JsonToken value, JsonParser parser, FieldState state)
            throws IOException {
        switch (name) {
            case "product_id" -> {
                if (value != JsonToken.VALUE_STRING || parser.getText().isBlank()
                        || parser.getTextLength() > MAX_PRODUCT_ID_LENGTH) {
                    throw invalidField("product_id", "a non-empty string of at most " + MAX_PRODUCT_ID_LENGTH + " characters");
                }
                state.productId = true;
            }
            case "currency" -> {
                if (value != JsonToken.VALUE_STRING || !CURRENCIES.contains(parser.getText())) {
                    throw invalidField("currency", "an ISO 4217 alphabetic currency code such as USD");
                }
                state.currency = true;
            }
            case "price" -> {
                if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw invalidField("price", "a number");
                }
                state.price = true;
            }
            case "quantity" -> {
                if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || parser.getLongValue() < MIN_QUANTITY || parser.getLongValue() > MAX_QUANTITY) {
                    throw invalidField("quantity", "an integer from " + MIN_QUANTITY + " to " + MAX_QUANTITY);
                }
            }
            case "time", "app_id", "properties" -> checkCommonField(name, value, parser, state);
            default -> {
            }
        }
    }

    private static void checkCommonField(String name, JsonToken value, JsonParser parser, FieldState state)
            throws IOException {
        switch (name) {
            case "time" -> {
                if (value != JsonToken.VALUE_STRING || !isIsoDateTime(parser.getText())) {
                    throw invalidField("time", "an ISO-8601 date-time such as 2026-01-02T03:04:05Z");
                }
                state.time = true;
            }
            case "app_id" -> {
                if (value != JsonToken.VALUE_STRING) {
                    throw invalidField("app_id", "a string");
                }
            }
            case "properties" -> {
                if (value != JsonToken.START_OBJECT) {
                    throw invalidField("properties", "a JSON object");
                }
            }
            default -> throw new IllegalStateException("not a common field: " + name);
        }
    }

    private static void checkCatalogField(String name, JsonToken value, JsonParser parser) throws IOException {
        if (name.indexOf('.') >= 0 || name.indexOf('$') >= 0) {
            throw new RowProblem(RowErrorCode.INVALID_FIELD,
                    "Catalog field name '" + name + "' must not contain '.' or '$'");
        }
        long length;
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            long start = parser.currentTokenLocation().getCharOffset();
            checkValue(parser, true);
            length = parser.currentLocation().getCharOffset() - start;
        } else {
            length = parser.getTextLength();
        }
        if (length > MAX_CATALOG_VALUE_LENGTH) {
            throw new RowProblem(RowErrorCode.INVALID_FIELD, "Catalog field '" + name + "' is longer than "
                    + MAX_CATALOG_VALUE_LENGTH + " characters");
        }
    }

    private static void finish(DataType dataType, Findings findings, FieldState state) {
        if (state.identifierField != null) {
            throw new RowProblem(RowErrorCode.IDENTIFIER_IN_PAYLOAD, "PAYLOAD sets the identifier field '"
                    + state.identifierField + "'; identify the user with the table's identifier columns instead");
        }
        findings.hasTime = state.time;
        switch (dataType) {
            case ATTRIBUTES -> {
                if (findings.fieldCount > MAX_ATTRIBUTES) {
                    throw new RowProblem(RowErrorCode.TOO_MANY_ATTRIBUTES, "PAYLOAD has " + findings.fieldCount
                            + " top-level keys; at most " + MAX_ATTRIBUTES + " are allowed");
                }
            }
            case EVENTS -> requireField(state.name, "name");
            case PURCHASES -> {
                requireField(state.productId, "product_id");
                requireField(state.currency, "currency");
                requireField(state.price, "price");
            }
            case USER_DELETES, CATALOG -> {
            }
        }
    }

    private static void requireField(boolean present, String field) {
        if (!present) {
            throw new RowProblem(RowErrorCode.MISSING_FIELD, "PAYLOAD lacks the required field '" + field + "'");
        }
    }

    private static RowProblem invalidField(String field, String expected) {
        return new RowProblem(RowErrorCode.INVALID_FIELD, "PAYLOAD field '" + field + "' must be " + expected);
    }

    private static boolean isIsoDateTime(String text) {
        try {
            DateTimeFormatter.ISO_DATE_TIME.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    static boolean utf8LengthExceeds(String text, int maxBytes) {
        if ((long) text.length() * 3 <= maxBytes) {
            return false;
        }
        if (text.length() > maxBytes) {
            return true;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes > maxBytes;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
