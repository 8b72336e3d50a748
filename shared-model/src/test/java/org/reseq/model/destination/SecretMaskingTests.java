package org.reseq.model.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SecretMaskingTests {

    @Test
    void userInformationAndQueryValuesAreMaskedAndTheRestIsKept() {
        assertThat(SecretMasking.url("https://user:pass@example.com:8443/p/q?token=secret&x=1"))
                .isEqualTo("https://***@example.com:8443/p/q?token=***&x=***");
    }

    @Test
    void aParameterWithoutValueIsMaskedWholeAndEmptyOnesStayEmpty() {
        assertThat(SecretMasking.url("http://h/p?apikey123&&a=&b=2"))
                .isEqualTo("http://h/p?***&&a=***&b=***");
    }

    @Test
    void aFragmentIsMaskedWhole() {
        assertThat(SecretMasking.url("http://h/p#access_token=abc")).isEqualTo("http://h/p#***");
    }

    @Test
    void aUrlWithoutSecretsIsUnchanged() {
        assertThat(SecretMasking.url("http://[::1]:9000/orders/v1")).isEqualTo("http://[::1]:9000/orders/v1");
        assertThat(SecretMasking.url("/relative/path")).isEqualTo("/relative/path");
    }

    @Test
    void whatCannotBeSplitSafelyIsMaskedWhole() {
        assertThat(SecretMasking.url("https://us er:pass@host/")).isEqualTo("***");
        assertThat(SecretMasking.url("user:pass@host")).isEqualTo("***");
        assertThat(SecretMasking.url("http://a@b@host/")).isEqualTo("***");
        assertThat(SecretMasking.url("http://user:pa?ss@host/")).isEqualTo("***");
    }

    @Test
    void nullStaysNull() {
        assertThat(SecretMasking.url(null)).isNull();
        assertThat(SecretMasking.text(null)).isNull();
    }

    @Test
    void everyUrlInATextIsMaskedAndTheWordsAroundItAreKept() {
        assertThat(SecretMasking.text("URI does not specify a valid host name: https://u:p@h/x?k=v then"
                + " 'http://other/y?z=w'"))
                .isEqualTo("URI does not specify a valid host name: https://***@h/x?k=*** then 'http://other/y?z=***'");
    }

    @Test
    void punctuationRightAfterAUrlInATextIsTakenAsPartOfIt() {
        // A secret may end in any of them: masking a comma too is the safe side.
        assertThat(SecretMasking.text("(see http://h/p?k=v), then")).isEqualTo("(see http://h/p?k=*** then");
    }

    @Test
    void aMaskedUrlIsRecognisedAsHoldingAMask() {
        assertThat(SecretMasking.holdsMask("https://***@h/p")).isTrue();
        assertThat(SecretMasking.holdsMask("https://h/p?token=***")).isTrue();
        assertThat(SecretMasking.holdsMask("https://h/p?***")).isTrue();
        assertThat(SecretMasking.holdsMask("https://h/p#***")).isTrue();
        assertThat(SecretMasking.holdsMask("https://u:p@h/p?token=t")).isFalse();
        assertThat(SecretMasking.holdsMask("https://h/***")).isFalse();
        assertThat(SecretMasking.holdsMask(null)).isFalse();
    }

    @Property
    void noUserInformationOrQueryValueSurvives(@ForAll("urls") Url url) {
        String masked = SecretMasking.url(url.text());

        for (String secret : url.secrets()) {
            assertThat(masked).doesNotContain(secret);
        }
        assertThat(SecretMasking.holdsMask(masked)).isEqualTo(!url.secrets().isEmpty());
    }

    @Property
    void schemeHostPortPathAndParameterNamesAreKept(@ForAll("urls") Url url) {
        assertThat(SecretMasking.url(url.text())).isEqualTo(url.expectedMask());
    }

    @Property
    void noSecretSurvivesInAText(@ForAll("urls") Url url, @ForAll("words") String before,
            @ForAll("words") String after) {
        String masked = SecretMasking.text(before + " " + url.text() + " " + after);

        assertThat(masked).isEqualTo(before + " " + url.expectedMask() + " " + after);
    }

    @Property
    void anyTextIsMaskedWithoutFailingAndMaskingTwiceChangesNothing(@ForAll String text) {
        String masked = SecretMasking.url(text);

        assertThat(SecretMasking.url(masked)).isEqualTo(masked);
        assertThat(SecretMasking.text(SecretMasking.text(text))).isEqualTo(SecretMasking.text(text));
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars(' ', ',', '(', ':').ofMaxLength(20);
    }

    /**
     * URLs whose secrets (user information, query values) are drawn from an alphabet, upper-case
     * letters, digits, {@code %} and {@code :}, that the parts kept (lower-case) never use, so
     * that "the secret is not in the output" means what it says.
     */
    @Provide
    Arbitrary<Url> urls() {
        Arbitrary<String> lower = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> secret = Arbitraries.strings().withCharRange('A', 'Z').numeric().withChars('-', '_', '~')
                .ofMinLength(1).ofMaxLength(12).map(s -> "S" + s);
        Arbitrary<String> userInfo = Combinators.combine(secret, secret.injectNull(0.5), secret.map(s -> s + "%40"))
                .as((user, password, encoded) -> password == null ? user : user + ":" + password + encoded)
                .injectNull(0.4);
        Arbitrary<List<String[]>> query = Combinators.combine(lower, secret).as((name, value) -> new String[] {name,
                value}).list().ofMaxSize(4).injectNull(0.3);
        Arbitrary<String> port = Arbitraries.integers().between(1, 65_535).map(p -> ":" + p).injectNull(0.5);
        Arbitrary<String> path = lower.list().ofMaxSize(3).map(parts -> parts.stream().map(p -> "/" + p)
                .collect(Collectors.joining()));
        return Combinators.combine(Arbitraries.of("http", "https"), userInfo, lower, port, path, query)
                .as(Url::new);
    }

    record Url(String scheme, String userInfo, String host, String port, String path, List<String[]> query) {

        String text() {
            return scheme + "://" + (userInfo == null ? "" : userInfo + "@") + host + "." + "example"
                    + (port == null ? "" : port) + path + (query == null ? "" : "?" + query.stream()
                    .map(parameter -> parameter[0] + "=" + parameter[1]).collect(Collectors.joining("&")));
        }

        String expectedMask() {
            return scheme + "://" + (userInfo == null ? "" : "***@") + host + "." + "example"
                    + (port == null ? "" : port) + path + (query == null ? "" : "?" + query.stream()
                    .map(parameter -> parameter[0] + "=***").collect(Collectors.joining("&")));
        }

        List<String> secrets() {
            List<String> secrets = new java.util.ArrayList<>();
            if (userInfo != null) {
                secrets.add(userInfo);
                secrets.addAll(List.of(userInfo.split(":")));
            }
            if (query != null) {
                query.forEach(parameter -> secrets.add(parameter[1]));
            }
            return secrets;
        }
    }
}
