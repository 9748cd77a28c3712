package io.jynamo.frontend;

import io.jynamo.api.engine.Engine;
import io.jynamo.llm.ModelCard;

import java.util.Objects;

/** A model the frontend serves: its card (tokenizer, template, limits) and the engine that generates for it. */
public record ServedModel(ModelCard card, Engine engine) {
    public ServedModel {
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(engine, "engine");
    }

    public String name() {
        return card.servedName();
    }
}
