#!/usr/bin/env python3
"""Failover time of a local 3-node cluster (issue 14): leader SIGKILL -> first grant through the new leader.

Starts three nodes of our server (the launcher jar bin/dflockd builds) on 127.0.0.1 with fresh Raft
directories, then KILLS times: finds the leader from the nodes' output ("the cluster's leader is
now nX"), has a prober on a surviving node try `l <key> 0 5` / `r` every 10 ms, SIGKILLs the leader,
and measures the time from the kill to the first grant. The killed node is restarted on its
directory and the next round waits until it is back. Prints every round and p50/p99/max.

Usage: bench/cluster-failover.py [KILLS=20]   (needs server/target-launch/dflockd-server.jar:
run bin/dflockd --version once to build it)
"""
import os, re, signal, socket, subprocess, sys, tempfile, threading, time

JAR = os.path.join(os.path.dirname(__file__), "..", "server", "target-launch", "dflockd-server.jar")
LEADER = re.compile(r"(n\d): the cluster's leader is now (n\d)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    def __init__(self, nid, client, peers, raft_dir, views):
        self.nid, self.client, self.peers, self.dir, self.views = nid, client, peers, raft_dir, views
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["java", "-Xmx256m", "-jar", JAR, "--host", "127.0.0.1", "--port", str(self.client),
             "--raft-dir", self.dir, "--node-id", self.nid, "--cluster-peers", self.peers],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self.pump, daemon=True).start()

    def pump(self):
        for line in self.proc.stdout:
            m = LEADER.search(line)
            if m:
                self.views[m.group(1)] = m.group(2)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def call(sock_file, sock, cmd, key, arg):
    sock.sendall(f"{cmd}\n{key}\n{arg}\n".encode())
    return sock_file.readline().strip()


def grant_once(port, key):
    """One try-lock + release through port; True when granted."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            f = s.makefile("r")
            reply = call(f, s, "l", key, "0 5")
            if reply.startswith("ok "):
                call(f, s, "r", key, reply.split()[1])
                return True
    except OSError:
        pass
    return False


def main():
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    base = tempfile.mkdtemp(prefix="dflockd-failover-")
    ids = ["n1", "n2", "n3"]
    clients = {i: free_port() for i in ids}
    peers = ",".join(f"{i}=127.0.0.1:{free_port()}@127.0.0.1:{clients[i]}" for i in ids)
    views = {}
    nodes = {i: Node(i, clients[i], peers, os.path.join(base, i), views) for i in ids}
    for n in nodes.values():
        n.start()
    times = []
    try:
        for k in range(kills):
            deadline = time.time() + 60
            while time.time() < deadline:
                leaders = {views.get(i) for i in ids}
                if len(leaders) == 1 and None not in leaders and all(grant_once(clients[i], "warm") for i in ids):
                    break
                time.sleep(0.1)
            else:
                sys.exit(f"round {k}: no agreed leader within 60 s: {views}")
            leader = views[ids[0]]
            survivor = next(i for i in ids if i != leader)
            views.clear()
            t0 = time.monotonic()
            nodes[leader].kill()
            while not grant_once(clients[survivor], f"probe{k}"):
                time.sleep(0.01)
            dt = time.monotonic() - t0
            times.append(dt)
            print(f"round {k + 1}: killed leader {leader}, first grant through {survivor} after {dt * 1000:.0f} ms",
                  flush=True)
            nodes[leader].start()
    finally:
        for n in nodes.values():
            if n.proc and n.proc.poll() is None:
                n.kill()
    times.sort()
    pct = lambda p: times[min(len(times) - 1, int(round(p * (len(times) - 1))))]
    print(f"kills={len(times)} p50={pct(0.5) * 1000:.0f} ms p99={pct(0.99) * 1000:.0f} ms max={times[-1] * 1000:.0f} ms"
          f" load={os.getloadavg()}")


if __name__ == "__main__":
    main()
