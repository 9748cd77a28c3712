package io.jynamo.frontend.openai;

/** One prompt of a completions request: text to tokenize, or token ids as given. */
public sealed interface Prompt permits Prompt.Text, Prompt.Ids {
    record Text(String text) implements Prompt {
    }

    record Ids(int[] ids) implements Prompt {
    }
}
