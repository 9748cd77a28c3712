/** Tokenizers: HF tokenizer.json through DJL, and GGUF vocabularies (SentencePiece BPE, byte-level BPE) written here, encoding as llama.cpp does. */
package io.jynamo.llm.tokenizer;
