package io.jynamo.llm.remote;

import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.inproc.InProcessRequestPlane;

class InProcessRequestPlaneTest extends RequestPlaneContractTest {
    private final InProcessRequestPlane plane = new InProcessRequestPlane();

    {
        toClose.add(plane);
    }

    @Override
    protected RequestPlane serverPlane() {
        return plane;
    }

    @Override
    protected RequestPlane clientPlane() {
        return plane;
    }

    @Override
    protected void killServer(RequestPlane serverPlane, ServedEndpoint served) {
        served.close();
    }
}
