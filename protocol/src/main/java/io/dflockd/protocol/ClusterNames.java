package io.dflockd.protocol;

import java.util.regex.Pattern;

/**
 * The names a cluster's membership uses (CLUSTER-DESIGN.md §4.1): node ids and {@code host:port}
 * addresses. One rule for the server's flags, the membership commands and the tools.
 */
public final class ClusterNames {
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s@=,]+:[0-9]{1,5}");

    private ClusterNames() {
    }

    /** Whether {@code id} is a node id: 1-64 of {@code A-Z a-z 0-9 _ . -}. */
    public static boolean isNodeId(String id) {
        return NODE_ID.matcher(id).matches();
    }

    /** Whether {@code address} is {@code host:port} with a port of 1-65535 and no space, {@code @}, {@code =} or {@code ,}. */
    public static boolean isHostPort(String address) {
        if (!HOST_PORT.matcher(address).matches()) {
            return false;
        }
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        return port >= 1 && port <= 65535;
    }

    static String nodeId(String id) throws ProtocolException {
        if (!isNodeId(id)) {
            throw new ProtocolException(ErrorCode.BAD_KEY, "bad node id");
        }
        return id;
    }

    static String hostPort(String address) throws ProtocolException {
        if (!isHostPort(address)) {
            throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, "expected host:port");
        }
        return address;
    }
}
