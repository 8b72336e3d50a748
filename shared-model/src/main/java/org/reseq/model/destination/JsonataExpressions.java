package org.reseq.model.destination;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;

/**
 * Parses the expressions of {@code jsonata} transforms, the same way when a destination is saved
 * and when a worker builds its chain, so that what was accepted is what runs.
 *
 * <p>The expression's length is bounded: the parser is recursive, so a long enough run of nested
 * brackets would otherwise exhaust the stack of whoever parses it.
 */
public final class JsonataExpressions {

    /** The longest expression accepted, in characters. */
    public static final int MAX_LENGTH = 16_384;

    private static final String LIBRARY_PREFIX = "JSonataException ";

    private JsonataExpressions() {
    }

    /**
     * Parses an expression.
     *
     * <p>Threads: the library remembers the last expression parsed on each thread, and each
     * thread that evaluates one keeps a copy of its own; callers need no locking.
     *
     * @return the parsed expression, which may be evaluated by many threads at once
     * @throws IllegalArgumentException when it is missing, too long or not valid JSONata; the
     *     message says why and where, in the parser's words
     */
    public static Jsonata parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
        }
        try {
            return Jsonata.jsonata(expression);
        } catch (JException e) {
            String at = e.getLocation() >= 0 ? " (at character " + e.getLocation() + ")" : "";
            throw new IllegalArgumentException("is not a valid JSONata expression: " + message(e) + at);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("is not a valid JSONata expression: nested too deeply");
        } catch (RuntimeException e) {
            // The parser is a port of JavaScript: some malformed input ends in other exceptions.
            throw new IllegalArgumentException("is not a valid JSONata expression: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** The library's message without the prefix it adds to some of them. */
    public static String message(JException e) {
        String message = e.getMessage() == null ? e.getError() : e.getMessage();
        return message != null && message.startsWith(LIBRARY_PREFIX) ? message.substring(LIBRARY_PREFIX.length())
                : message;
    }
}
