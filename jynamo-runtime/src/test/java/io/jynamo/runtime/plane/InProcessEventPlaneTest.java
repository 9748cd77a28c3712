package io.jynamo.runtime.plane;

import io.jynamo.runtime.EventPlane;
import io.jynamo.runtime.inproc.InProcessEventPlane;
import org.junit.jupiter.api.AfterEach;

class InProcessEventPlaneTest extends EventPlaneContractTest {
    private final InProcessEventPlane plane = new InProcessEventPlane();

    @AfterEach
    void close() {
        plane.close();
    }

    @Override
    protected EventPlane publisher() {
        return plane;
    }

    @Override
    protected EventPlane subscriber() {
        return plane;
    }
}
