/**
 * OpenAI's API shapes: request bodies parsed and checked into records, preprocessing into engine
 * requests (chat template, tokenization), and the JSON of responses, stream chunks and errors.
 */
package io.jynamo.frontend.openai;
