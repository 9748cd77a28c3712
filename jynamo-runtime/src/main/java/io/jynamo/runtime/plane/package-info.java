/** What the request planes share: the client stream queue, the server sink's state, running handlers. */
package io.jynamo.runtime.plane;
