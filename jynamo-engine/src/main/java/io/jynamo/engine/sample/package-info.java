/**
 * Sampling: how one sequence's logits become its next token, as vLLM defines each knob of
 * {@link io.jynamo.api.request.SamplingOptions}. A {@link io.jynamo.engine.sample.Sampler} per
 * sequence holds the options and the sequence's seeded random stream; a
 * {@link io.jynamo.engine.sample.TokenHistory} per sequence counts the tokens the penalties look at;
 * a {@link io.jynamo.engine.sample.SamplerScratch} per step thread holds the vocabulary-sized
 * buffers; {@link io.jynamo.engine.sample.Logprobs} reports the raw model distribution's logprobs.
 * Steady-state sampling allocates nothing and costs a few passes over the vocabulary: the filters
 * select rather than sort.
 */
package io.jynamo.engine.sample;
