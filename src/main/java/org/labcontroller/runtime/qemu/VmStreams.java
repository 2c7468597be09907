package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.labcontroller.runtime.StreamKind;
import org.labcontroller.runtime.StreamUnavailableException;

/**
 * Dials a running VM's console or screen: QEMU serves the serial port and VNC (RFB) as unix sockets
 * in the lab's socket directory, and the caller gets the raw connection.
 */
final class VmStreams {
    private VmStreams() {
    }

    /**
     * Connects to the lab's serial or VNC socket.
     *
     * <p>NOTE: QEMU's serial socket takes one client at a time; a second connection waits until the
     * first closes, so callers fan one connection out. The caller owns the returned channel.
     */
    static SocketChannel open(VmDirectory vm, StreamKind kind) throws StreamUnavailableException, IOException {
        if (QemuProcess.find(vm).isEmpty()) {
            throw new StreamUnavailableException("Lab " + vm.labId() + " is not running.");
        }
        String stream = kind == StreamKind.CONSOLE ? "console" : "vnc";
        Path socket = kind == StreamKind.CONSOLE ? vm.serialSocket() : vm.vncSocket();
        if (!vm.offers(stream) || !Files.exists(socket)) {
            throw new StreamUnavailableException("Lab " + vm.labId() + " does not offer a " + stream + " stream.");
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }
}
