package io.jynamo.frontend.http;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;
import io.jynamo.frontend.FrontendException;
import io.jynamo.frontend.openai.ResponseJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An error as the client sees it: status and OpenAI error body. Messages of our exceptions are
 * written for users; anything else becomes a 500 whose body says nothing of the internals (the
 * details go to the log).
 */
public record HttpError(int status, String type, String message, String param, String code) {
    private static final Logger LOG = LoggerFactory.getLogger(HttpError.class);

    public static HttpError of(Throwable t) {
        if (t instanceof JynamoException e) {
            String param = e instanceof FrontendException fe ? fe.param() : null;
            return of(e.category(), e.getMessage(), param, e);
        }
        LOG.error("internal error while serving a request", t);
        return new HttpError(500, "server_error", "internal server error", null, null);
    }

    public static HttpError of(ErrorCategory category, String message, String param, Throwable cause) {
        return switch (category) {
            case BAD_REQUEST -> new HttpError(400, "invalid_request_error", message, param, null);
            case NOT_FOUND -> new HttpError(404, "not_found_error", message, param,
                    "model".equals(param) ? "model_not_found" : null);
            case UNAVAILABLE -> new HttpError(503, "service_unavailable", message, param, null);
            case INTERNAL -> {
                LOG.error("internal error while serving a request: {}", message, cause);
                yield new HttpError(500, "server_error", "internal server error", null, null);
            }
        };
    }

    public static HttpError tooLarge(long limit) {
        return new HttpError(413, "invalid_request_error",
                "the request body is larger than the limit of " + limit + " bytes", null, "request_too_large");
    }

    public byte[] body() {
        return ResponseJson.error(message, type, param, code == null ? codeOf(status) : code);
    }

    private static String codeOf(int status) {
        return status == 503 ? "service_unavailable" : null;
    }
}
