package io.jynamo.runtime.nats;

import io.jynamo.runtime.NatsConfig;
import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.RuntimeFailure;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/** Opens a connection that reconnects forever, or fails with UNAVAILABLE naming the server. */
final class NatsConnections {
    private static final Logger LOG = LoggerFactory.getLogger(NatsConnections.class);

    private NatsConnections() {
    }

    static Connection open(NatsConfig config, String name) {
        Options options = Options.builder().server(config.url()).connectionName(name)
                .connectionTimeout(config.connectTimeout()).reconnectWait(config.reconnectWait())
                .maxReconnects(-1).connectionListener((conn, event) -> LOG.debug("NATS {}: {}", name, event))
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        LOG.warn("NATS {} at {}: {}", name, config.url(), error);
                    }

                    @Override
                    public void exceptionOccurred(Connection conn, Exception e) {
                        // reconnect attempts while the server is away land here: not worth a warning each
                        LOG.debug("NATS {} at {}: {}", name, config.url(), e.toString());
                    }
                })
                .build();
        try {
            return Nats.connect(options);
        } catch (IOException e) {
            throw new RuntimeFailure(ErrorCategory.UNAVAILABLE, "cannot reach NATS at " + config.url() + ": "
                    + e.getMessage() + "; is it running? (NATS_SERVER)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(ErrorCategory.UNAVAILABLE, "interrupted while connecting to NATS at " + config.url());
        }
    }
}
