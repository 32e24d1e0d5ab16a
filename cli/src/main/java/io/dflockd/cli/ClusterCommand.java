package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import io.dflockd.client.DflockdConnection;
import io.dflockd.client.DflockdException;
import io.dflockd.protocol.ClusterNames;
import io.dflockd.protocol.Stats;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dflockctl cluster status|add|remove|transfer}: a cluster's members from {@code stats}, and
 * the membership commands (PROTOCOL.md §6.12), sent to the first of {@code --servers} (any member
 * carries them out).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        usageHelpWidth = 100,
        description = "Show a cluster's members and leader; add, remove a member, hand the leadership over.",
        subcommands = {ClusterCommand.Status.class, ClusterCommand.Add.class, ClusterCommand.Remove.class,
            ClusterCommand.Transfer.class},
        footer = {"", "Examples:", "  dflockctl --servers 10.0.0.1:6388 cluster status",
            "  DFLOCKD_ADMIN_TOKEN_FILE=/etc/dflockd/admin dflockctl cluster add n4 10.0.0.4:7001@10.0.0.4:6388",
            "  dflockctl cluster remove n3 --admin-token-file /etc/dflockd/admin",
            "", "Exit codes: 76 the server refused (not a cluster node, no admin token set there, or the",
            "cluster could not make the change: its log says why); 77 admin token rejected."})
final class ClusterCommand implements Runnable {
    static final String ENV_ADMIN_TOKEN = "DFLOCKD_ADMIN_TOKEN";

    @ParentCommand
    Main root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: status, add, remove or transfer");
    }

    /** {@code cluster status}: each server's view, and the voters as the first answering server sees them. */
    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Each of --servers: its node id, role, term, leader and applied index; then the voters.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        ClusterCommand cluster;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ClientConfig config = cluster.root.clientConfig();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int code = ExitCodes.OK;
            Stats.ClusterStat voters = null;
            String votersFrom = null;
            for (InetSocketAddress server : config.servers()) {
                String name = ServerNames.format(server);
                try (DflockdConnection c = DflockdConnection.open(config, server)) {
                    Stats.ClusterStat s = c.stats().cluster();
                    if (s == null) {
                        throw new CliException(ExitCodes.SERVER_ERROR, name + " is not a cluster node (no --raft-dir)");
                    }
                    out.printf("%s  node %s  %s  term %d  leader %s  applied %d/%d%n", name, s.nodeId(), s.role(),
                            s.term(), s.leaderId() == null ? "none" : s.leaderId() + " (" + s.leaderAddr() + ")",
                            s.appliedIndex(), s.commitIndex());
                    if (voters == null) {
                        voters = s;
                        votersFrom = name;
                    }
                } catch (DflockdException | CliException e) {
                    int c = Errors.report(err, e);
                    code = code == ExitCodes.OK ? c : code;
                }
            }
            if (voters != null) {
                out.println("voters (as " + votersFrom + " sees them):");
                for (Stats.VoterStat v : voters.voters()) {
                    out.printf("  %s  raft %s  client %s%s%n", v.id(), v.raftAddr(),
                            Objects.requireNonNullElse(v.clientAddr(), "unknown"),
                            v.id().equals(voters.leaderId()) ? "  leader" : "");
                }
            }
            out.flush();
            return code;
        }
    }

    /** What every membership change shares: the admin token, one connection, one line of output. */
    static final class AdminTokenOption {
        @Option(names = "--admin-token-file", paramLabel = "FILE",
                description = "File holding the cluster's admin token [" + ENV_ADMIN_TOKEN + "; "
                        + ENV_ADMIN_TOKEN + "_FILE]")
        Path file;

        /**
         * Sends {@code admin}, then {@code change}, to the first of --servers; prints {@code done} on success.
         *
         * @param nodeId the node the change is about, checked before anything is sent
         */
        int change(ClusterCommand cluster, CommandSpec spec, String nodeId, String done,
                Consumer<DflockdConnection> change) {
            if (!ClusterNames.isNodeId(nodeId)) {
                throw new CliException(ExitCodes.USAGE, "invalid node id '" + nodeId + "': 1-64 of A-Z a-z 0-9 _ . -");
            }
            String token = ConnectionOptions.resolveToken(file, "--admin-token-file", cluster.root.env(),
                    ENV_ADMIN_TOKEN, "admin token");
            if (token == null) {
                throw new CliException(ExitCodes.USAGE, "the admin token is required: --admin-token-file, "
                        + ENV_ADMIN_TOKEN + " or " + ENV_ADMIN_TOKEN + "_FILE");
            }
            ClientConfig config = cluster.root.clientConfig();
            InetSocketAddress server = config.servers().get(0);
            try (DflockdConnection c = DflockdConnection.open(config, server)) {
                c.admin(token);
                change.accept(c);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(done + " (through " + ServerNames.format(server) + ")");
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Make a node a voting member. Start it first with --cluster-join; returns once",
                "the cluster has caught it up and committed the new configuration."})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        ClusterCommand cluster;

        @Spec
        CommandSpec spec;

        @Mixin
        AdminTokenOption admin;

        @Parameters(index = "0", paramLabel = "ID", description = "The new node's --node-id")
        String nodeId;

        @Parameters(index = "1", paramLabel = "RAFT@CLIENT",
                description = "raftHost:raftPort@clientHost:clientPort, as in --cluster-peers")
        String addresses;

        @Override
        public Integer call() {
            int at = addresses.indexOf('@');
            if (at < 0) {
                throw new CliException(ExitCodes.USAGE, "'" + addresses
                        + "' is not raftHost:raftPort@clientHost:clientPort");
            }
            return admin.change(cluster, spec, nodeId, "added " + nodeId,
                    c -> c.clusterAdd(nodeId, addresses.substring(0, at), addresses.substring(at + 1)));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Take a node out of the voting members; the removed node stops by itself.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        ClusterCommand cluster;

        @Spec
        CommandSpec spec;

        @Mixin
        AdminTokenOption admin;

        @Parameters(index = "0", paramLabel = "ID", description = "The node's --node-id")
        String nodeId;

        @Override
        public Integer call() {
            return admin.change(cluster, spec, nodeId, "removed " + nodeId, c -> c.clusterRemove(nodeId));
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Hand the leadership to a member; returns once it leads.")
    static final class Transfer implements Callable<Integer> {
        @ParentCommand
        ClusterCommand cluster;

        @Spec
        CommandSpec spec;

        @Mixin
        AdminTokenOption admin;

        @Parameters(index = "0", paramLabel = "ID", description = "The member to lead")
        String nodeId;

        @Override
        public Integer call() {
            return admin.change(cluster, spec, nodeId, nodeId + " leads", c -> c.clusterTransfer(nodeId));
        }
    }
}
