/** What engines stream back: token deltas and one terminal item per sequence. */
package io.jynamo.api.output;
