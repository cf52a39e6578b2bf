package org.ofsep.mwl.hl7;

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
 * camel-mllp's component, except that a listener never drops a frame a peer pipelined. MLLP is a request-response
 * protocol (a sender waits for the ACK before the next frame), but some senders write two frames at once; camel-mllp
 * reads both in one read, hands the first to the route and discards the rest with a WARN ("Ignoring trailing
 * out-of-band data"), so the second message silently vanished. Here the socket buffer keeps the bytes that follow
 * a complete frame when they start another frame, and the next read serves that frame before touching the socket:
 * pipelined frames are processed in order, one ACK each, and a WARN (no patient data) says that the peer pipelines.
 */
final class PipelinedMllpComponent extends MllpComponent {
    private static final Logger LOG = LoggerFactory.getLogger(PipelinedMllpComponent.class);

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MllpEndpoint plain = (MllpEndpoint) super.createEndpoint(uri, remaining, parameters);
        Endpoint endpoint = new Listener(uri, this, plain.getConfiguration());
        ((MllpEndpoint) endpoint).setHostname(plain.getHostname());
        ((MllpEndpoint) endpoint).setPort(plain.getPort());
        return endpoint;
    }

    /** The endpoint: its consumer reads through a {@link FrameBuffer}; its producer is camel-mllp's. */
    private static final class Listener extends MllpEndpoint {
        Listener(String uri, MllpComponent component, MllpConfiguration configuration) {
            super(uri, component, configuration);
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            Consumer consumer = new MllpTcpServerConsumer(this, processor) {
                @Override
                public void startConsumer(Socket socket, MllpSocketBuffer buffer) {
                    FrameBuffer frames = new FrameBuffer(getEndpoint());
                    if (buffer != null && !buffer.isEmpty()) {
                        frames.writeByteByByte(buffer.toByteArray()); // what the connection check already read
                    }
                    super.startConsumer(socket, frames);
                }
            };
            configureConsumer(consumer);
            return consumer;
        }
    }

    /**
     * A socket buffer that keeps the frames pipelined after a complete one, and serves them before reading again.
     * They are kept aside, not in the buffer: camel-mllp builds the ACK in this same buffer.
     */
    static final class FrameBuffer extends MllpSocketBuffer {
        private boolean warned;
        private byte[] pending;

        FrameBuffer(MllpEndpoint endpoint) {
            super(endpoint);
        }

        @Override
        public synchronized void reset() {
            if (hasCompleteEnvelope() && hasTrailingOutOfBandData()) {
                byte[] trailing = getTrailingOutOfBandData();
                int start = indexOf(trailing, MllpProtocolConstants.START_OF_BLOCK);
                if (start >= 0) {
                    pending = java.util.Arrays.copyOfRange(trailing, start, trailing.length);
                    if (!warned) {
                        warned = true;
                        LOG.warn("HL7 peer pipelines MLLP frames (a frame arrived before the ACK of the previous "
                                + "one, which MLLP does not allow): the frames are processed in order, one ACK each");
                    }
                }
            }
            super.reset();
        }

        @Override
        public synchronized void readFrom(Socket socket) throws MllpSocketException, SocketTimeoutException {
            if (restorePending()) {
                return; // a pipelined frame is waiting: serve it before reading the socket
            }
            super.readFrom(socket);
        }

        @Override
        public synchronized void readFrom(Socket socket, int receiveTimeout, int readTimeout)
                throws MllpSocketException, SocketTimeoutException {
            if (restorePending()) {
                return;
            }
            super.readFrom(socket, receiveTimeout, readTimeout);
        }

        /** Puts the frames kept aside back in the (emptied) buffer; true when one of them is complete. */
        private boolean restorePending() {
            if (pending == null) {
                return false; // nothing kept aside: read the socket as camel-mllp does
            }
            byte[] next = pending;
            pending = null;
            super.reset(); // what is left is the ACK just sent
            writeByteByByte(next);
            return hasCompleteEnvelope();
        }

        /** write(byte[]) finds a start or end of block only at the first byte written; write(int) finds each. */
        void writeByteByByte(byte[] bytes) {
            for (byte b : bytes) {
                write(b & 0xFF);
            }
        }

        private static int indexOf(byte[] bytes, int value) {
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == value) {
                    return i;
                }
            }
            return -1;
        }
    }
}
