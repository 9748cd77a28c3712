package io.jynamo.frontend.http;

import io.jynamo.frontend.openai.ResponseJson;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * {@code --api-key}: every request but the operator's probes ({@code /health}, {@code /live},
 * {@code /metrics}, open as in vLLM) must carry {@code Authorization: Bearer KEY}; others are answered
 * 401 with OpenAI's body ({@code code: invalid_api_key}) and never reach the router. The key is
 * compared in constant time.
 */
public final class ApiKeyGuard implements Handler<HttpServerRequest> {
    private static final Set<String> OPEN = Set.of("/health", "/live", "/metrics");
    private static final String BEARER = "bearer ";

    private final byte[] key;
    private final Handler<HttpServerRequest> next;

    /** @param apiKey the key clients must send (not blank) */
    public ApiKeyGuard(String apiKey, Handler<HttpServerRequest> next) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key is empty");
        }
        this.key = apiKey.getBytes(StandardCharsets.UTF_8);
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (OPEN.contains(request.path()) || allowed(request.getHeader("authorization"))) {
            next.handle(request);
            return;
        }
        String message = request.getHeader("authorization") == null
                ? "You didn't provide an API key. You need to provide your API key in an Authorization header "
                + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                : "Incorrect API key provided.";
        byte[] body = ResponseJson.error(message, "invalid_request_error", null, "invalid_api_key");
        HttpServerResponse response = request.response().setStatusCode(401)
                .putHeader("content-type", "application/json").putHeader("www-authenticate", "Bearer");
        if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
            response.putHeader("connection", "close");  // the unread body is not worth reading
        }
        response.end(io.vertx.core.buffer.Buffer.buffer(body));
    }

    private boolean allowed(String authorization) {
        if (authorization == null || authorization.length() < BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(key, given);
    }
}
