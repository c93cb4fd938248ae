package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Splits the SQL a fake warehouse receives into tokens, with the quoting rules of the warehouse it imitates. Fakes
 * accept a few statement shapes only, so the lexer is strict: what it cannot split (an unterminated quote, a
 * backslash escape, a comment) is refused through the fake's own error, never guessed at.
 *
 * <p>Stateless and thread-safe.
 */
final class FakeSqlLexer {

    /** What a token is. */
    enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL, PARAMETER }

    /**
     * A token.
     *
     * @param kind what it is
     * @param text the text as written
     * @param identifier for a quoted identifier its unquoted name, for a string literal its value, for a word its
     *     text in the warehouse's case for unquoted names, for a named parameter its name
     */
    record Token(Kind kind, String text, String identifier) {
        boolean is(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }
    }

    /** How a warehouse resolves an unquoted name. */
    enum UnquotedCase { UPPER, LOWER, AS_WRITTEN }

    /**
     * A warehouse's lexical rules.
     *
     * @param identifierQuote the character around quoted identifiers; doubled inside when {@code doubledQuotes}
     * @param stringQuotes the characters around string literals
     * @param doubledQuotes whether a doubled quote inside a quoted token stands for the quote itself
     * @param unquotedCase how an unquoted word resolves
     * @param namedParameterPrefix the character starting a named parameter, or 0 when there are none
     * @param positionalParameters whether {@code ?} is a parameter marker (else it is refused)
     * @param notUnderstood turns "what was not understood" into the fake's error
     */
    record Rules(char identifierQuote, String stringQuotes, boolean doubledQuotes, UnquotedCase unquotedCase,
            char namedParameterPrefix, boolean positionalParameters, Function<String, RuntimeException> notUnderstood) {
        Rules {
            requireNonNull(stringQuotes, "stringQuotes is null");
            requireNonNull(unquotedCase, "unquotedCase is null");
            requireNonNull(notUnderstood, "notUnderstood is null");
        }
    }

    private FakeSqlLexer() {
    }

    /**
     * Splits a statement into tokens. A semicolon at the very end is dropped.
     *
     * @param sql the statement
     * @param rules the warehouse's rules
     * @return the tokens
     * @throws RuntimeException the fake's error, when the text cannot be split
     */
    static List<Token> tokenize(String sql, Rules rules) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == rules.identifierQuote() || rules.stringQuotes().indexOf(c) >= 0) {
                i = quoted(sql, i, rules, tokens);
            } else if (rules.namedParameterPrefix() != 0 && c == rules.namedParameterPrefix()) {
                int j = wordEnd(sql, i + 1, false);
                if (j == i + 1) {
                    throw rules.notUnderstood().apply("'" + c + "' without a parameter name");
                }
                tokens.add(new Token(Kind.PARAMETER, sql.substring(i, j), sql.substring(i + 1, j)));
                i = j;
            } else if (c == '?') {
                if (!rules.positionalParameters()) {
                    throw rules.notUnderstood().apply("positional parameters ('?'); it serves named parameters");
                }
                tokens.add(new Token(Kind.SYMBOL, "?", "?"));
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int j = wordEnd(sql, i + 1, true);
                String text = sql.substring(i, j);
                String name = switch (rules.unquotedCase()) {
                    case UPPER -> text.toUpperCase(Locale.ROOT);
                    case LOWER -> text.toLowerCase(Locale.ROOT);
                    case AS_WRITTEN -> text;
                };
                tokens.add(new Token(Kind.WORD, text, name));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i + 1;
                while (j < length && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                tokens.add(new Token(Kind.NUMBER, sql.substring(i, j), sql.substring(i, j)));
                i = j;
            } else if (c == ';' && sql.substring(i + 1).isBlank()) {
                i = length;
            } else {
                String two = i + 1 < length ? sql.substring(i, i + 2) : "";
                if (two.equals("--") || two.equals("/*")) {
                    throw rules.notUnderstood().apply("comments");
                } else if (two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!=")) {
                    tokens.add(new Token(Kind.SYMBOL, two, two));
                    i += 2;
                } else {
                    tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), String.valueOf(c)));
                    i++;
                }
            }
        }
        return tokens;
    }

    /**
     * The FROM clause of a single-table {@code SELECT}.
     *
     * @param fromIndex the index of the {@code FROM} token
     * @param nameTokens the quoted or unquoted parts of the table name, without the dots between them
     * @param end the index of the first token after the name
     */
    record FromClause(int fromIndex, List<Token> nameTokens, int end) {
        FromClause {
            nameTokens = List.copyOf(nameTokens);
        }
    }

    /**
     * Finds the FROM clause of a {@code SELECT} over one table, refusing a second FROM, subqueries, and anything
     * after the name but {@code WHERE}, {@code ORDER} or {@code LIMIT} (aliases, joins, GROUP BY).
     *
     * @param tokens the statement's tokens
     * @param rules the warehouse's rules, for its error
     * @return the clause, or empty for a {@code SELECT} without FROM
     */
    static Optional<FromClause> fromClause(List<Token> tokens, Rules rules) {
        int fromIndex = -1;
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.is("(")) {
                depth++;
            } else if (token.is(")")) {
                depth--;
            } else if (depth == 0 && token.isWord("FROM")) {
                if (fromIndex >= 0) {
                    throw rules.notUnderstood().apply("a second FROM");
                }
                fromIndex = i;
            } else if (depth > 0 && token.isWord("SELECT")) {
                throw rules.notUnderstood().apply("subqueries");
            }
        }
        if (fromIndex < 0) {
            return Optional.empty();
        }
        List<Token> parts = new ArrayList<>();
        int i = fromIndex + 1;
        while (true) {
            if (i >= tokens.size() || (tokens.get(i).kind() != Kind.QUOTED && tokens.get(i).kind() != Kind.WORD)) {
                throw rules.notUnderstood().apply("the FROM clause (it takes one table name)");
            }
            parts.add(tokens.get(i));
            i++;
            if (i < tokens.size() && tokens.get(i).is(".")) {
                i++;
                continue;
            }
            break;
        }
        if (i < tokens.size() && !tokens.get(i).isWord("WHERE") && !tokens.get(i).isWord("ORDER")
                && !tokens.get(i).isWord("LIMIT")) {
            throw rules.notUnderstood().apply("'" + tokens.get(i).text()
                    + "' after the table name (no aliases, joins or GROUP BY)");
        }
        return Optional.of(new FromClause(fromIndex, parts, i));
    }

    private static int quoted(String sql, int start, Rules rules, List<Token> tokens) {
        char quote = sql.charAt(start);
        StringBuilder value = new StringBuilder();
        int j = start + 1;
        while (true) {
            if (j >= sql.length()) {
                throw rules.notUnderstood().apply("an unterminated quote");
            }
            char d = sql.charAt(j);
            if (d == quote) {
                if (rules.doubledQuotes() && j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                    value.append(quote);
                    j += 2;
                    continue;
                }
                break;
            }
            if (d == '\\') {
                throw rules.notUnderstood().apply("backslash escapes in quoted text");
            }
            value.append(d);
            j++;
        }
        Kind kind = quote == rules.identifierQuote() ? Kind.QUOTED : Kind.STRING;
        tokens.add(new Token(kind, sql.substring(start, j + 1), value.toString()));
        return j + 1;
    }

    private static int wordEnd(String sql, int from, boolean dollar) {
        int j = from;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_'
                || (dollar && sql.charAt(j) == '$'))) {
            j++;
        }
        return j;
    }
}
