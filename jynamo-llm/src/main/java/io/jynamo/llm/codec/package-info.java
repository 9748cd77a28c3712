/**
 * JSON for what crosses the request plane: {@code PreprocessedRequest} and {@code EngineOutput}, in
 * snake_case. Every field is optional on the wire and has a default (the defaults of the api records);
 * unknown fields are ignored, so old and new peers can talk. Decoding validates through the records'
 * constructors, so a bad value is a BAD_REQUEST.
 */
package io.jynamo.llm.codec;
