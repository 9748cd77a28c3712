/**
 * The OpenAI-compatible HTTP frontend: {@link io.jynamo.frontend.HttpFrontend} serves chat and text
 * completions, model listing, health and metrics for the models a {@link io.jynamo.frontend.ModelRegistry}
 * names, each a {@link io.jynamo.frontend.ServedModel} (model card + engine). Configured by
 * {@link io.jynamo.frontend.FrontendConfig}; fails with {@link io.jynamo.frontend.FrontendException}.
 * Sub-packages: {@code openai} (request parsing, preprocessing, response JSON), {@code http} (routing,
 * SSE, the generation flow), {@code text} (incremental detokenization and stop strings),
 * {@code metrics} (Prometheus).
 */
package io.jynamo.frontend;
