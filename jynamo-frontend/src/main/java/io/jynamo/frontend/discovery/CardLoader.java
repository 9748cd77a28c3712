package io.jynamo.frontend.discovery;

import io.jynamo.llm.CardFiles;
import io.jynamo.llm.ModelCard;
import io.jynamo.llm.CardFileEndpoint;
import io.jynamo.runtime.Instance;
import io.jynamo.llm.PublishedCard;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.RuntimeFailure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;

/**
 * Builds a model card from a published card: its files are fetched from a worker once per content
 * checksum into {@code cacheDir/<checksum>/} (checked by sha256; a file already there and intact is
 * not fetched again), then handed to the llm module's factories.
 */
public final class CardLoader {
    /** Longest wait for one item of a file. */
    static final long ITEM_TIMEOUT_MS = 30_000;
    /** Largest card file accepted (a tokenizer.json is about 10 MB). */
    static final long MAX_FILE_BYTES = 64L << 20;

    private final Path cacheDir;
    private final Clock clock;

    public CardLoader(Path cacheDir, Clock clock) {
        this.cacheDir = cacheDir;
        this.clock = clock;
    }

    public ModelCard load(PublishedCard card, RequestPlane plane, Instance files) {
        Path dir = cacheDir.resolve(card.checksum());
        try {
            Files.createDirectories(dir);
            for (PublishedCard.FileRef ref : card.files()) {
                if (ref.size() > MAX_FILE_BYTES) {
                    throw RuntimeFailure.badRequest("the card of '" + card.servedName() + "' lists " + ref.name()
                            + " of " + ref.size() + " bytes, more than " + MAX_FILE_BYTES);
                }
                Path target = dir.resolve(ref.name());
                if (Files.isRegularFile(target) && intact(target, ref)) {
                    continue;
                }
                byte[] data = CardFileEndpoint.fetch(plane, files, ref, ITEM_TIMEOUT_MS);
                Path tmp = Files.createTempFile(dir, ".fetch-", ".tmp");
                Files.write(tmp, data);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the card cache " + dir + ": " + e.getMessage(), e);
        }
        return CardFiles.load(dir, card.servedName(), card.contextLength(), card.kvBlockSize(), clock);
    }

    private static boolean intact(Path file, PublishedCard.FileRef ref) throws IOException {
        return Files.size(file) == ref.size() && PublishedCard.sha256(Files.readAllBytes(file)).equals(ref.sha256());
    }
}
