/**
 * Everything between text and token ids: tokenizers (Hugging Face tokenizer.json and GGUF vocabularies),
 * chat templates, incremental detokenization, stop strings and model cards. No engine code: a frontend
 * with this module serves a model whose weights live elsewhere.
 */
package io.jynamo.llm;
