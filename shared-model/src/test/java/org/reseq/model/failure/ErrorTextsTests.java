package org.reseq.model.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ErrorTextsTests {

    @Test
    void controlCharactersBecomeSpacesAndLoneSurrogatesReplacementCharacters() {
        assertThat(ErrorTexts.clean("bad\u0000byte\r\nnext\u001b[31m \ud800 end"))
                .isEqualTo("bad byte  next [31m \uFFFD end");
    }

    @Test
    void aQuotedUrlKeepsNoSecret() {
        assertThat(ErrorTexts.clean("request to https://user:pass@host/p?token=secret failed"))
                .isEqualTo("request to https://***@host/p?token=*** failed");
    }

    @Test
    void nullBecomesEmpty() {
        assertThat(ErrorTexts.clean(null)).isEmpty();
    }

    @Test
    void aLongTextIsCutAtACharacterBoundaryAndSaysSo() {
        String cleaned = ErrorTexts.clean("é".repeat(5_000));

        assertThat(cleaned).endsWith("…").doesNotContain("\uFFFD");
        assertThat(cleaned.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(ErrorTexts.MAX_BYTES);
    }

    @Test
    void aTextThatFitsIsKeptWhole() {
        String exactly = "a".repeat(ErrorTexts.MAX_BYTES);

        assertThat(ErrorTexts.clean(exactly)).isEqualTo(exactly);
    }

    @Property
    void anyTextComesOutStorable(@ForAll String text) {
        String cleaned = ErrorTexts.clean(text);

        assertThat(cleaned.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(ErrorTexts.MAX_BYTES);
        assertThat(cleaned.codePoints()).noneMatch(Character::isISOControl)
                .noneMatch(codePoint -> Character.getType(codePoint) == Character.SURROGATE);
    }
}
