/** The frontend's Prometheus metrics: requests by status, in-flight, latencies and token counts. */
package io.jynamo.frontend.metrics;
