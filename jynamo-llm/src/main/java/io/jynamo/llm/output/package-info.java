/** What happens to generated ids on their way out: incremental detokenization and stop strings. */
package io.jynamo.llm.output;
