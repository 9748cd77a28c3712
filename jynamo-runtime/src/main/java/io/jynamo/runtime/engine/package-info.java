/** The engine contract carried over a request plane: the serving handler and the remote request stream. */
package io.jynamo.runtime.engine;
