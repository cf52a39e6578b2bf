package org.ofsep.mwl.hl7;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpProtocolConstants;
import org.apache.camel.component.mllp.MllpSocketException;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-mllp's component, with a listener that reads each connection through a {@link FrameBuffer}: MLLP framing
 * enforced (a whole frame within the frame timeout, at most {@code hl7.maxMessageKilobytes}, a start byte inside
 * a frame starts a new one, FS ends a frame without its CR) and frames a peer pipelined processed in order, one ACK
 * each. MLLP is a request-response protocol (a sender waits for the ACK before the next frame), but some senders write
 * two frames at once; camel-mllp read both in one read, handed the first to the route and discarded the rest with a
 * WARN ("Ignoring trailing out-of-band data"), so the second message silently vanished. A WARN (no patient data)
 * says that the peer pipelines.
 */
final class PipelinedMllpComponent extends MllpComponent {
    private static final Logger LOG = LoggerFactory.getLogger(PipelinedMllpComponent.class);

    private final int maxFrameBytes;

    /** @param maxFrameBytes the largest frame read ({@link Hl7Settings#maxMessageBytes}) */
    PipelinedMllpComponent(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MllpEndpoint plain = (MllpEndpoint) super.createEndpoint(uri, remaining, parameters);
        Endpoint endpoint = new Listener(uri, this, plain.getConfiguration(), maxFrameBytes);
        ((MllpEndpoint) endpoint).setHostname(plain.getHostname());
        ((MllpEndpoint) endpoint).setPort(plain.getPort());
        return endpoint;
    }

    /** The endpoint: its consumer reads through a {@link FrameBuffer}; its producer is camel-mllp's. */
    private static final class Listener extends MllpEndpoint {
        private final int maxFrameBytes;

        Listener(String uri, MllpComponent component, MllpConfiguration configuration, int maxFrameBytes) {
            super(uri, component, configuration);
            this.maxFrameBytes = maxFrameBytes;
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            Consumer consumer = new MllpTcpServerConsumer(this, processor) {
                /**
                 * camel-mllp first reads a new connection with a buffer of its own (waiting up to the frame
                 * timeout per read for the CR after FS, with no bound on a dribbled or huge frame); the connection
                 * goes straight to a {@link FrameBuffer} instead, so its rules hold from the first byte.
                 */
                @Override
                public void validateConsumer(Socket socket) {
                    startConsumer(socket, null);
                }

                @Override
                public void startConsumer(Socket socket, MllpSocketBuffer buffer) {
                    FrameBuffer frames = new FrameBuffer(getEndpoint(), maxFrameBytes);
                    if (buffer != null && !buffer.isEmpty()) {
                        frames.received(buffer.toByteArray()); // what the connection check already read
                    }
                    super.startConsumer(socket, frames);
                }
            };
            configureConsumer(consumer);
            return consumer;
        }
    }

    /**
     * The socket buffer of one connection. It reads the socket itself, into its own array, and hands camel-mllp one
     * complete frame at a time (VT, payload, FS, CR); what arrived after that frame (frames a peer pipelined) is
     * kept and served at the next read, before the socket is read again. Framing as MLLP defines it, enforced:
     * <ul>
     * <li>a frame must be complete within the frame timeout (camel-mllp's readTimeout) of its start byte, however
     * it is dribbled: camel-mllp's own timeout only bounds each read, so a peer sending a byte every few seconds
     * held its connection forever;</li>
     * <li>a start byte (VT) inside a frame starts a new frame: the unfinished one before it is dropped, never
     * applied (camel-mllp made one message of both, and the truncated copy became a second scheduled step);</li>
     * <li>FS ends a frame even when the CR after it is missing (camel-mllp waited for the CR, then closed the
     * connection without a word); a late CR is a stray byte, ignored as bytes outside frames are;</li>
     * <li>a frame over the largest accepted ({@link Hl7Settings#maxMessageBytes}, 1 MiB by default) closes the
     * connection (orders are kilobytes; a frame of hundreds of megabytes filled the heap, and twenty frames of 15 MB
     * at once on a 512 MB heap left the embedded store's file corrupted).</li>
     * </ul>
     * Each refusal closes the connection with a WARN line (sizes and the peer's address, no patient data); the
     * sender still holds the message, since it got no ACK for it.
     */
    static final class FrameBuffer extends MllpSocketBuffer {
        private final int maxFrameBytes;
        private final byte[] chunk = new byte[8192];
        private byte[] data = new byte[8192];
        private int length;          // bytes received and not served yet
        private int scanned;         // data[0, scanned) holds no end of block after a start
        private int start = -1;      // index of the start of the frame being received, or -1
        private int dropped;         // bytes of unfinished frames a new start byte replaced
        private long startedNanos;   // when the frame being received started
        private boolean warnedPipelining;
        private final MllpConfiguration configuration;

        FrameBuffer(MllpEndpoint endpoint, int maxFrameBytes) {
            super(endpoint);
            this.configuration = endpoint.getConfiguration();
            this.maxFrameBytes = maxFrameBytes;
        }

        /** Bytes a check of the connection read before this buffer took over. */
        synchronized void received(byte[] bytes) {
            append(bytes, bytes.length);
        }

        @Override
        public synchronized void readFrom(Socket socket) throws MllpSocketException, SocketTimeoutException {
            readFrom(socket, configuration.getReceiveTimeout(), configuration.getReadTimeout());
        }

        /**
         * Leaves one complete frame in the buffer, or throws: {@link SocketTimeoutException} with the buffer empty
         * when no frame started within {@code receiveTimeout} (camel-mllp then checks the idle timeout), or after
         * closing the connection when a frame broke the rules above; {@link MllpSocketException} when the peer
         * closed or the socket failed.
         */
        @Override
        public synchronized void readFrom(Socket socket, int receiveTimeout, int frameTimeout)
                throws MllpSocketException, SocketTimeoutException {
            super.reset(); // the ACK just sent, if any
            if (nextFrame(socket)) {
                return;
            }
            try {
                InputStream in = socket.getInputStream();
                while (true) {
                    if (start < 0) {
                        socket.setSoTimeout(receiveTimeout);
                    } else {
                        long left = frameTimeout - (System.nanoTime() - startedNanos) / 1_000_000;
                        if (left <= 0) {
                            refuse(socket, "an MLLP frame was not complete " + frameTimeout + " ms after its start ("
                                    + length + " bytes received)");
                        }
                        socket.setSoTimeout((int) Math.min(frameTimeout, left));
                    }
                    int n;
                    try {
                        n = in.read(chunk);
                    } catch (SocketTimeoutException timeout) {
                        if (start < 0) {
                            throw timeout; // no frame under way: camel-mllp checks whether the connection is idle
                        }
                        continue; // the frame's deadline is checked above
                    }
                    if (n < 0) {
                        if (start >= 0) {
                            LOG.warn("HL7 peer {} closed its connection in the middle of a frame ({} bytes received):"
                                    + " nothing of it was applied", peer(socket), length - start);
                        }
                        clear();
                        resetSocket(socket);
                        throw new MllpSocketException("the HL7 peer closed the connection");
                    }
                    append(chunk, n);
                    if (nextFrame(socket)) {
                        return;
                    }
                }
            } catch (SocketTimeoutException timeout) {
                throw timeout;
            } catch (IOException e) {
                clear();
                resetSocket(socket);
                throw new MllpSocketException("reading from the HL7 peer failed", e);
            }
        }

        private void append(byte[] bytes, int n) {
            if (length + n > data.length) {
                // doubling, but not far past the largest frame accepted
                data = java.util.Arrays.copyOf(data, Math.max(length + n,
                        Math.min(data.length * 2, maxFrameBytes + 2 * chunk.length)));
            }
            System.arraycopy(bytes, 0, data, length, n);
            length += n;
        }

        /**
         * Scans what was received for the next complete frame; when there is one, puts it in the buffer (as VT,
         * payload, FS, CR) and keeps what follows it. Bytes outside frames are dropped, as camel-mllp drops them.
         */
        private boolean nextFrame(Socket socket) throws SocketTimeoutException {
            for (; scanned < length; scanned++) {
                byte b = data[scanned];
                if (b == MllpProtocolConstants.START_OF_BLOCK) {
                    if (start < 0) {
                        startedNanos = System.nanoTime();
                    } else {
                        dropped += scanned - start;
                    }
                    start = scanned;
                } else if (b == MllpProtocolConstants.END_OF_BLOCK && start >= 0) {
                    int end = scanned;
                    if (end - start > maxFrameBytes) {
                        refuse(socket, "an MLLP frame is over " + maxFrameBytes + " bytes (hl7.maxMessageKilobytes)");
                    }
                    int next = end + 1 < length && data[end + 1] == MllpProtocolConstants.END_OF_DATA ? end + 2
                            : end + 1;
                    if (dropped > 0) {
                        LOG.warn("HL7 peer {} started a frame before the previous one ended: the unfinished frame ({} "
                                + "bytes) was dropped, not applied (the sender gets no ACK for it)", peer(socket),
                                dropped);
                    }
                    write(java.util.Arrays.copyOfRange(data, start, end));
                    for (int k = end - start - 1; k < 4; k++) {
                        // camel-mllp reads the 4th payload byte (MSH-1) when it sends the ACK, and failed on a
                        // shorter frame: no ACK, the connection dropped. Segment separators change nothing: the
                        // frame is still answered AR (not an HL7 message)
                        write(MllpProtocolConstants.SEGMENT_DELIMITER);
                    }
                    write(MllpProtocolConstants.END_OF_BLOCK);
                    write(MllpProtocolConstants.END_OF_DATA);
                    System.arraycopy(data, next, data, 0, length - next);
                    length -= next;
                    if (data.length > 1024 * 1024 && length < chunk.length) {
                        data = java.util.Arrays.copyOf(data, chunk.length); // a large frame is not kept for good
                    }
                    scanned = 0;
                    start = -1;
                    dropped = 0;
                    if (length > 0 && !warnedPipelining && indexOf(data, length, MllpProtocolConstants.START_OF_BLOCK)
                            >= 0) {
                        warnedPipelining = true;
                        LOG.warn("HL7 peer pipelines MLLP frames (a frame arrived before the ACK of the previous "
                                + "one, which MLLP does not allow): the frames are processed in order, one ACK each");
                    }
                    return true;
                }
            }
            if (start < 0) {
                length = 0; // nothing but bytes outside frames
                scanned = 0;
            } else if (length - start > maxFrameBytes) {
                refuse(socket, "an MLLP frame is over " + maxFrameBytes + " bytes (hl7.maxMessageKilobytes)");
            }
            return false;
        }

        /** Closes the connection (FIN) with a WARN line; the buffer is left empty. */
        private void refuse(Socket socket, String why) throws SocketTimeoutException {
            LOG.warn("HL7 peer {}: {}; the connection is closed and nothing of the frame was applied (the sender "
                    + "gets no ACK for it and must send it again)", peer(socket), why);
            clear();
            closeSocket(socket);
            throw new SocketTimeoutException(why);
        }

        private void clear() {
            length = 0;
            scanned = 0;
            start = -1;
            dropped = 0;
            super.reset();
        }

        private static String peer(Socket socket) {
            return String.valueOf(socket.getRemoteSocketAddress());
        }

        private static int indexOf(byte[] bytes, int length, int value) {
            for (int i = 0; i < length; i++) {
                if (bytes[i] == value) {
                    return i;
                }
            }
            return -1;
        }
    }
}
