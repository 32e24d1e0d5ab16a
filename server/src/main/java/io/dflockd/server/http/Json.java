package io.dflockd.server.http;

import io.dflockd.protocol.StatsWriter;

/** The little JSON the HTTP port writes by hand (strings escaped as the {@code stats} reply's are). */
final class Json {
    private Json() {
    }

    /** Upstream's error shape: {@code {"error":"<code>","detail":"<words>"}}. */
    static String error(String code, String detail) {
        StringBuilder b = new StringBuilder(64).append("{\"error\":");
        StatsWriter.writeString(b, code);
        b.append(",\"detail\":");
        StatsWriter.writeString(b, detail);
        return b.append('}').toString();
    }
}
