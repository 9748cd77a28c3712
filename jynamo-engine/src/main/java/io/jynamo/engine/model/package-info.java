/**
 * Models as the engine sees them: configuration, weights and the binding of container tensors to
 * roles, independent of the file format they came from.
 */
package io.jynamo.engine.model;
