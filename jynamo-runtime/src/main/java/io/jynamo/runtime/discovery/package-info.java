/**
 * The discovery stores behind {@code DiscoveryStore}: etcd (jetcd), memory (one JVM, injected clock)
 * and file (a directory shared by the processes of one host). Leases are kept alive by
 * {@code KeptLease}, which re-creates a lost lease and writes its keys again; etcd watches also
 * re-read their prefix periodically so that they survive a cluster that restarted empty.
 */
package io.jynamo.runtime.discovery;
