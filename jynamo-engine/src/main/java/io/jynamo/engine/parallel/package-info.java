/** The engine's compute threads: a small persistent pool that runs parallel loops over row ranges. */
package io.jynamo.engine.parallel;
