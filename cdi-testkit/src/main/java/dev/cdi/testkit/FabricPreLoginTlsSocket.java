package dev.cdi.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The socket under the server's {@code SSLSocket} when a client negotiates TLS the TDS 7 way ({@code encrypt=true}):
 * during the handshake every TLS record travels inside TDS PRELOGIN packets (type 0x12), after it the TLS records
 * flow bare. {@link #handshakeDone()} switches from the first to the second; the client sends nothing between the
 * server's last handshake flight and the switch, since it waits for that flight.
 *
 * <p>Not thread-safe before the switch (the handshake runs on one thread); after it, reads and writes go straight to
 * the underlying socket.
 */
final class FabricPreLoginTlsSocket extends Socket {
    private static final int PRELOGIN = 0x12;
    private static final int MAX_PACKET = 4096;

    private final Socket raw;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    private volatile boolean wrapping = true;

    private final InputStream in = new InputStream() {
        private byte[] payload = new byte[0];
        private int position;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int count = read(one, 0, 1);
            return count < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (!wrapping) {
                return rawIn.read(buffer, offset, length);
            }
            if (length == 0) {
                return 0;
            }
            while (position == payload.length) {
                byte[] header = new byte[8];
                if (!readFully(header)) {
                    return -1;
                }
                int packetLength = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
                if (packetLength < 8) {
                    throw new IOException("bad TDS packet length " + packetLength + " during the TLS handshake");
                }
                payload = new byte[packetLength - 8];
                if (!readFully(payload)) {
                    throw new EOFException("the client closed the connection during the TLS handshake");
                }
                position = 0;
            }
            int count = Math.min(length, payload.length - position);
            System.arraycopy(payload, position, buffer, offset, count);
            position += count;
            return count;
        }

        private boolean readFully(byte[] buffer) throws IOException {
            int read = 0;
            while (read < buffer.length) {
                int count = rawIn.read(buffer, read, buffer.length - read);
                if (count < 0) {
                    return false;
                }
                read += count;
            }
            return true;
        }
    };

    /**
     * During the handshake, a flight of TLS records (what the TLS layer writes before it flushes) becomes one TDS
     * message: the driver counts messages and expects one answer per message it sent.
     */
    private final OutputStream out = new OutputStream() {
        private final ByteArrayOutputStream flight = new ByteArrayOutputStream();

        @Override
        public void write(int value) throws IOException {
            write(new byte[] {(byte) value}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            if (wrapping) {
                flight.write(buffer, offset, length);
            } else {
                rawOut.write(buffer, offset, length);
            }
        }

        @Override
        public void flush() throws IOException {
            if (wrapping && flight.size() > 0 && endsFlight(flight.toByteArray())) {
                byte[] bytes = flight.toByteArray();
                flight.reset();
                int position = 0;
                while (position < bytes.length) {
                    int count = Math.min(bytes.length - position, MAX_PACKET - 8);
                    int packetLength = count + 8;
                    boolean last = position + count == bytes.length;
                    rawOut.write(new byte[] {(byte) PRELOGIN, (byte) (last ? 0x01 : 0x00), (byte) (packetLength >>> 8),
                        (byte) packetLength, 0, 0, 0, 0});
                    rawOut.write(bytes, position, count);
                    position += count;
                }
            }
            rawOut.flush();
        }
    };

    /**
     * Whether buffered TLS records end a flight of the server (TLS 1.2): ServerHelloDone, a Finished (the handshake
     * record after ChangeCipherSpec, encrypted) or an alert. The TLS layer may flush within a flight, so flushes alone
     * do not tell.
     */
    static boolean endsFlight(byte[] records) {
        boolean changedCipher = false;
        boolean ends = false;
        int offset = 0;
        while (offset + 5 <= records.length) {
            int type = records[offset] & 0xFF;
            int length = ((records[offset + 3] & 0xFF) << 8) | (records[offset + 4] & 0xFF);
            int body = offset + 5;
            if (body + length > records.length) {
                return false;
            }
            if (type == 20) {
                changedCipher = true;
                ends = false;
            } else if (type == 21) {
                ends = true;
            } else if (type == 22) {
                ends = changedCipher || lastHandshakeMessage(records, body, body + length) == 14;
            } else {
                ends = false;
            }
            offset = body + length;
        }
        return ends;
    }

    private static int lastHandshakeMessage(byte[] records, int from, int to) {
        int last = -1;
        int position = from;
        while (position + 4 <= to) {
            int length = ((records[position + 1] & 0xFF) << 16) | ((records[position + 2] & 0xFF) << 8)
                    | (records[position + 3] & 0xFF);
            last = records[position] & 0xFF;
            position += 4 + length;
        }
        return position == to ? last : -1;
    }

    FabricPreLoginTlsSocket(Socket raw, InputStream rawIn) throws IOException {
        this.raw = raw;
        this.rawIn = rawIn;
        this.rawOut = raw.getOutputStream();
    }

    /** From now on TLS records flow bare. */
    void handshakeDone() {
        wrapping = false;
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public boolean isConnected() {
        return raw.isConnected();
    }

    @Override
    public boolean isBound() {
        return raw.isBound();
    }

    @Override
    public boolean isClosed() {
        return raw.isClosed();
    }

    @Override
    public synchronized void close() throws IOException {
        raw.close();
    }

    @Override
    public InetAddress getInetAddress() {
        return raw.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return raw.getLocalAddress();
    }

    @Override
    public int getPort() {
        return raw.getPort();
    }

    @Override
    public int getLocalPort() {
        return raw.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return raw.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return raw.getLocalSocketAddress();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        raw.setSoTimeout(timeout);
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        return raw.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        raw.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return raw.getTcpNoDelay();
    }

    @Override
    public void shutdownInput() throws IOException {
        raw.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        raw.shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        return raw.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return raw.isOutputShutdown();
    }

    @Override
    public String toString() {
        return "FabricPreLoginTlsSocket[" + raw + "]";
    }
}
