package io.dflockd.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Native epoll when the platform has it, Java NIO otherwise. */
enum IoTransport {
    EPOLL, NIO;

    static IoTransport best() {
        return !Boolean.getBoolean("dflockd.nio") && Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** @param threads 0 = Netty's default (twice the cores) */
    EventLoopGroup group(int threads, String name) {
        DefaultThreadFactory f = new DefaultThreadFactory(name, true);
        return this == EPOLL ? new EpollEventLoopGroup(threads, f) : new NioEventLoopGroup(threads, f);
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    String transportName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
