package io.jynamo.worker;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;

/** The worker module's one unchecked exception: a worker that cannot be assembled or registered, said in one line. */
public final class WorkerException extends JynamoException {
    public WorkerException(ErrorCategory category, String message) {
        super(category, message, null);
    }

    static WorkerException badInput(String message) {
        return new WorkerException(ErrorCategory.BAD_REQUEST, message);
    }
}
