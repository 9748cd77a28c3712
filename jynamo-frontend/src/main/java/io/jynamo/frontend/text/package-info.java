/**
 * Turning a sequence's token ids into the text a client sees: incremental detokenization that never
 * emits a broken UTF-8 character, and stop strings matched across token boundaries and cut from the
 * output.
 */
package io.jynamo.frontend.text;
