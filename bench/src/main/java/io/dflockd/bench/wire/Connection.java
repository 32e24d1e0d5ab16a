package io.dflockd.bench.wire;

/** A connection the load tool opened to one server; closing it is best effort and never throws. */
public interface Connection extends AutoCloseable {
    @Override
    void close();
}
