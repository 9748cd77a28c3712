package io.jynamo.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jynamo.api.ErrorCategory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The model card as registered under {@code v1/mdc/{model_slug}}: small (etcd values stay far below
 * its request limit), with the card's files named by content address. The files themselves are served
 * by the worker on its {@link CardFileEndpoint}. JSON: {@code {"served_name", "kind" ("hf"|"gguf"),
 * "context_length", "kv_block_size", "eos_token_ids", "bos_token", "eos_token", "checksum",
 * "files": [{"name", "sha256", "size"}]}}; the checksum is the sha256 of the lines
 * {@code name \t sha256 \n} of the files in name order, so equal files give an equal checksum.
 */
public record PublishedCard(String servedName, String kind, int contextLength, int kvBlockSize, int[] eosTokenIds,
                            String bosToken, String eosToken, String checksum, List<FileRef> files) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /** One file of the card. */
    public record FileRef(String name, String sha256, long size) {
        public FileRef {
            if (name == null || !FILE_NAME.matcher(name).matches() || name.startsWith(".")) {
                throw LlmException.badInput("a card file name is 1-128 letters, digits, '.', '-' or '_', got '"
                        + name + "'");
            }
            if (sha256 == null || !SHA256.matcher(sha256).matches()) {
                throw LlmException.badInput("a card file's sha256 is 64 lower-case hex digits, got '" + sha256 + "'");
            }
            if (size < 0) {
                throw LlmException.badInput("a card file's size cannot be negative");
            }
        }
    }

    public PublishedCard {
        if (servedName == null || servedName.isBlank()) {
            throw LlmException.badInput("a model card needs a served name");
        }
        if (!"hf".equals(kind) && !"gguf".equals(kind)) {
            throw LlmException.badInput("a model card's kind is hf or gguf, got '" + kind + "'");
        }
        if (contextLength < 1 || kvBlockSize < 1) {
            throw LlmException.badInput("a model card's context length and kv block size must be positive");
        }
        eosTokenIds = eosTokenIds == null ? new int[0] : eosTokenIds.clone();
        bosToken = bosToken == null ? "" : bosToken;
        eosToken = eosToken == null ? "" : eosToken;
        files = List.copyOf(Objects.requireNonNull(files, "files"));
        if (files.isEmpty()) {
            throw LlmException.badInput("a model card lists no files");
        }
        if (!checksum(files).equals(checksum)) {
            throw LlmException.badInput("a model card's checksum does not match its files");
        }
    }

    /** A card for these files (name → bytes), its checksum computed. */
    public static PublishedCard of(String servedName, String kind, int contextLength, int kvBlockSize,
                                   int[] eosTokenIds, String bosToken, String eosToken, Map<String, byte[]> files) {
        List<FileRef> refs = files.entrySet().stream()
                .map(e -> new FileRef(e.getKey(), sha256(e.getValue()), e.getValue().length))
                .sorted(Comparator.comparing(FileRef::name)).toList();
        return new PublishedCard(servedName, kind, contextLength, kvBlockSize, eosTokenIds, bosToken, eosToken,
                checksum(refs), refs);
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    public static String checksum(List<FileRef> files) {
        StringBuilder sb = new StringBuilder();
        files.stream().sorted(Comparator.comparing(FileRef::name))
                .forEach(f -> sb.append(f.name()).append('\t').append(f.sha256()).append('\n'));
        return sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("served_name", servedName);
        o.put("kind", kind);
        o.put("context_length", contextLength);
        o.put("kv_block_size", kvBlockSize);
        ArrayNode eos = o.putArray("eos_token_ids");
        for (int id : eosTokenIds) {
            eos.add(id);
        }
        o.put("bos_token", bosToken);
        o.put("eos_token", eosToken);
        o.put("checksum", checksum);
        ArrayNode fs = o.putArray("files");
        for (FileRef f : files) {
            fs.addObject().put("name", f.name()).put("sha256", f.sha256()).put("size", f.size());
        }
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a registered card; anything malformed fails with BAD_REQUEST. */
    public static PublishedCard parse(byte[] json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (IOException e) {
            throw new LlmException(ErrorCategory.BAD_REQUEST, "a model card is not valid JSON", e);
        }
        if (o == null || !o.isObject() || !o.path("files").isArray() || !o.path("eos_token_ids").isArray()) {
            throw LlmException.badInput("a model card must be a JSON object with files and eos_token_ids");
        }
        List<FileRef> files = new ArrayList<>();
        for (JsonNode f : o.get("files")) {
            files.add(new FileRef(f.path("name").asText(null), f.path("sha256").asText(null), f.path("size").asLong(-1)));
        }
        int[] eos = new int[o.get("eos_token_ids").size()];
        for (int i = 0; i < eos.length; i++) {
            eos[i] = o.get("eos_token_ids").get(i).asInt();
        }
        return new PublishedCard(o.path("served_name").asText(null), o.path("kind").asText(null),
                o.path("context_length").asInt(0), o.path("kv_block_size").asInt(0), eos,
                o.path("bos_token").asText(""), o.path("eos_token").asText(""), o.path("checksum").asText(""), files);
    }
}
