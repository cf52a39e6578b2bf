package org.ofsep.mwl.dicom.dul;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PS3.8 section 9.2 protocol machine of one association: the current state and the {@link StateTable}.
 * Events may come from the reader thread (PDUs received, transport closed), from the user's thread (requests
 * and responses) and from the ARTIM timer; they are serialised and handled one at a time, in order. An event
 * raised while an action is running (for example the user answering an A-ASSOCIATE indication at once) is queued
 * and handled after that action's state change, as the table expects. The state changes before the action runs
 * (except AE-6, whose outcome picks the state), so a thread woken by an action sees the new state.
 */
public final class StateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(StateMachine.class);

    private static final class Pending {
        final Event event;
        final Object data;
        RuntimeException failure;

        Pending(Event event, Object data) {
            this.event = event;
            this.data = data;
        }
    }

    private final ActionPerformer performer;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private volatile State state = State.STA1;
    private volatile boolean requestor;
    private final String name;

    public StateMachine(String name, ActionPerformer performer) {
        this.name = name;
        this.performer = performer;
    }

    public State state() {
        return state;
    }

    /** True when this end requested the association (set by Evt1), false for the acceptor (Evt5). */
    public boolean isRequestor() {
        return requestor;
    }

    /**
     * Handles one event. Undefined (state, event) pairs: a PDU from the peer is treated as Evt19 (invalid PDU,
     * the association is aborted); a local primitive is refused with {@link IllegalStateException}.
     */
    public void handle(Event event, Object data) {
        Pending mine = new Pending(event, data);
        synchronized (queue) {
            queue.add(mine);
        }
        if (lock.isHeldByCurrentThread()) {
            return; // re-entrant: the outer loop handles it after the running action
        }
        lock.lock();
        try {
            while (true) {
                Pending p;
                synchronized (queue) {
                    p = queue.poll();
                }
                if (p == null) {
                    break;
                }
                try {
                    step(p.event, p.data);
                } catch (RuntimeException e) {
                    p.failure = e;
                    if (p != mine) {
                        LOG.debug("{}: {} failed: {}", name, p.event.code(), e.toString());
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        // Another thread may have run our event while we waited for the lock; report its failure to us.
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    private void step(Event event, Object data) {
        State from = state;
        Optional<Action> found = StateTable.action(from, event);
        if (found.isEmpty()) {
            if (event.fromPeer() && event != Event.EVT19) {
                LOG.debug("{}: {} not expected in {}, handled as Evt19", name, event.code(), from.code());
                step(Event.EVT19, data);
                return;
            }
            if (event == Event.EVT17 || event == Event.EVT18 || event == Event.EVT19) {
                LOG.debug("{}: {} ignored in {}", name, event.code(), from.code());
                return;
            }
            throw new IllegalStateException(event.code() + " (" + event.description() + ") is not allowed in "
                    + from.code() + " (" + from.description() + ")");
        }
        Action action = found.get();
        if (event == Event.EVT1) {
            requestor = true;
        } else if (event == Event.EVT5) {
            requestor = false;
        }
        // The new state is set before the action runs, so that whoever the action notifies (a user thread woken
        // by a confirmation, say) already sees it. AE-6 alone decides its next state by what it finds.
        State next = switch (action) {
            case AE_6 -> null;
            case AR_8 -> requestor ? State.STA9 : State.STA10;
            default -> action.next();
        };
        if (next != null) {
            state = next;
        }
        boolean result = performer.perform(action, event, data);
        if (action == Action.AE_6) {
            next = result ? State.STA3 : State.STA13;
            state = next;
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("{}: {} + {} -> {} -> {}", name, from.code(), event.code(), action.code(),
                    next == null ? "-" : next.code());
        }
    }
}
