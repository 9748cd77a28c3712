package io.jynamo.llm.remote;

import io.jynamo.llm.ModelEntry;
import io.jynamo.llm.ModelRegistration;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.DiscoveryStores;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.Lease;
import io.jynamo.runtime.Registration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model entry and model card keys a worker writes, read back as the frontend reads them, gone with the lease. */
@Timeout(30)
class ModelRegistrationTest {
    @Test
    void modelEntryAndCardLiveUnderTheWorkersLease() {
        try (DiscoveryStore store = DiscoveryStores.memory(java.time.InstantSource.system())) {
            EndpointId ep = new EndpointId("ns", "backend", "generate");
            Lease lease = store.createLease(Registration.TTL);
            ModelEntry entry = new ModelEntry("org/Model-1", ep, "chat", 16, 4096, Map.of("max_num_seqs", 64));
            ModelRegistration.registerModel(store, lease, entry, 0xa1);
            ModelRegistration.putModelCard(store, lease, entry.slug(), b("card"));

            assertEquals(entry, ModelEntry.parse(store.get("v1/models/org_model-1/a1").orElseThrow()));
            assertArrayEquals(b("card"), store.get("v1/mdc/org_model-1").orElseThrow());
            assertEquals("org_model-1", ModelRegistration.slugOfMdcKey(ModelRegistration.mdcKey(entry.slug())));
            assertThrows(io.jynamo.api.JynamoException.class, () -> ModelEntry.parse(b("{not json")));

            lease.revoke();
            assertTrue(store.getPrefix("v1/models/org_model-1/").isEmpty());
            assertTrue(store.get("v1/mdc/org_model-1").isEmpty());
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
