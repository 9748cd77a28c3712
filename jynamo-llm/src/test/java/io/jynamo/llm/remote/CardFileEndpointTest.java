package io.jynamo.llm.remote;

import io.jynamo.api.ErrorCategory;
import io.jynamo.llm.CardFileEndpoint;
import io.jynamo.llm.PublishedCard;
import io.jynamo.api.JynamoException;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.TcpConfig;
import io.jynamo.runtime.tcp.TcpRequestPlane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CardFileEndpointTest {
    private static Map<String, byte[]> files() {
        byte[] big = new byte[3 * CardFileEndpoint.CHUNK_BYTES + 17];
        new Random(7).nextBytes(big);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("tokenizer.json", big);
        files.put("tokenizer_config.json", "{}".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    @Test
    void theCardRoundTripsThroughJsonAndItsChecksumFollowsTheFiles() {
        PublishedCard card = PublishedCard.of("org/Model", "hf", 4096, 16, new int[] {2, 7}, "<s>", "</s>", files());
        PublishedCard back = PublishedCard.parse(card.toJson());
        assertEquals(card.checksum(), back.checksum());
        assertEquals(card.files(), back.files());
        assertArrayEquals(new int[] {2, 7}, back.eosTokenIds());
        Map<String, byte[]> other = files();
        other.put("tokenizer_config.json", "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(card.checksum(), PublishedCard.of("org/Model", "hf", 4096, 16, null, "", "", other).checksum());
        assertThrows(JynamoException.class, () -> PublishedCard.parse("{\"files\":3}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(JynamoException.class, () -> PublishedCard.parse("nope".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void filesAreFetchedInChunksAndCheckedAndUnknownOnesAreNotFound() {
        Map<String, byte[]> files = files();
        PublishedCard card = PublishedCard.of("m", "hf", 4096, 16, null, "", "", files);
        try (TcpRequestPlane plane = new TcpRequestPlane(TcpConfig.loopback());
             ServedEndpoint served = CardFileEndpoint.serve(plane, "ns", 0x42, files)) {
            for (PublishedCard.FileRef ref : card.files()) {
                assertArrayEquals(files.get(ref.name()), CardFileEndpoint.fetch(plane, served.instance(), ref, 10_000));
            }
            PublishedCard.FileRef missing = new PublishedCard.FileRef("x", "0".repeat(64), 1);
            JynamoException e = assertThrows(JynamoException.class,
                    () -> CardFileEndpoint.fetch(plane, served.instance(), missing, 10_000));
            assertEquals(ErrorCategory.NOT_FOUND, e.category());
        }
    }
}
