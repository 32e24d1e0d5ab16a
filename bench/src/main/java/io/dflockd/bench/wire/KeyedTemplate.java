package io.dflockd.bench.wire;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.Request;
import java.util.function.BiFunction;

/**
 * The {@link RequestTemplate} of one request kind for the last key used (a workload keeps its key
 * across rounds); made again when the key changes.
 */
final class KeyedTemplate {
    private final Command command;
    private final BiFunction<String, String, Request> request;
    private String key;
    private RequestTemplate template;

    /** @param request the request for (key, varying field) */
    KeyedTemplate(Command command, BiFunction<String, String, Request> request) {
        this.command = command;
        this.request = request;
    }

    RequestTemplate of(String k) {
        if (template == null || !k.equals(key)) {
            template = RequestTemplate.of(field -> request.apply(k, field));
            key = k;
        }
        return template;
    }

    /** {@code "<command> <key>"}, naming the request in an error. */
    String label(String k) {
        return command.wire() + " " + k;
    }
}
