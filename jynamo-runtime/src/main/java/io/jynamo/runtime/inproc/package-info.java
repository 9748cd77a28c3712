/**
 * The in-process request and event planes: the same contracts within one JVM, with no bytes copied
 * and no sockets (the embedded default). Client and server must share the plane object.
 */
package io.jynamo.runtime.inproc;
