package org.reseq.examples.redact;

/**
 * A text that stops a regular expression's matching when the thread is interrupted: the JDK's
 * matcher checks nothing itself, and reads every character through {@link #charAt}.
 */
final class InterruptibleText implements CharSequence {

    private final CharSequence text;

    InterruptibleText(CharSequence text) {
        this.text = text;
    }

    @Override
    public char charAt(int index) {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("redact transform interrupted: the attempt timed out");
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new InterruptibleText(text.subSequence(start, end));
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
