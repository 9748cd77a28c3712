/**
 * The HTTP edge on Vert.x core: routing, bounded body reading, error translation, SSE, and the
 * generation flow that reads engine streams on virtual threads and writes chunks as tokens come.
 */
package io.jynamo.frontend.http;
