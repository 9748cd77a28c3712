package io.jynamo.runtime;

/** An endpoint being served; closing it stops accepting requests and fails the open streams with UNAVAILABLE. */
public interface ServedEndpoint extends AutoCloseable {
    /** What to register in discovery. */
    Instance instance();

    @Override
    void close();
}
