package org.reseq.examples.redact;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reseq.transform.PermanentTransformException;
import org.reseq.transform.Transform;
import org.reseq.transform.TransformRequest;
import org.reseq.transform.TransformResponse;

/**
 * Masks every match of a pattern in a UTF-8 text payload. Keeps the content type and headers.
 *
 * <p>A payload that is not UTF-8 fails for good: it would fail the same way every time. The
 * matching reads the payload through {@link InterruptibleText}, so a pattern that backtracks
 * for ever stops when the worker abandons the attempt at the chain's timeout.
 *
 * <p>Thread-safe: a compiled {@link Pattern} is, and each call has its own matcher.
 */
final class RedactTransform implements Transform {

    private final Pattern pattern;
    private final String replacement;
    private final int keepLast;

    RedactTransform(Pattern pattern, String replacement, int keepLast) {
        this.pattern = pattern;
        this.replacement = replacement;
        this.keepLast = keepLast;
    }

    @Override
    public TransformResponse apply(TransformRequest request) {
        String text = decode(request.payload());
        Matcher matcher = pattern.matcher(new InterruptibleText(text));
        StringBuilder redacted = new StringBuilder(text.length());
        int from = 0;
        while (matcher.find()) {
            String match = text.substring(matcher.start(), matcher.end());
            int kept = Math.min(keepLast, match.length());
            redacted.append(text, from, matcher.start())
                    .append(replacement)
                    .append(match, match.length() - kept, match.length());
            from = matcher.end();
        }
        redacted.append(text, from, text.length());
        return request.reply(redacted.toString().getBytes(StandardCharsets.UTF_8), request.contentType());
    }

    private static String decode(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PermanentTransformException("redact transform needs a UTF-8 text payload");
        }
    }
}
