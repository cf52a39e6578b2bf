package org.ofsep.mwl.dicom.dul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Drives the PS3.8 table with events and checks the actions and states it goes through. */
class StateMachineTest {

    /** Records the actions; AE-6 answers {@code acceptable}. */
    static final class Recorder implements ActionPerformer {
        final List<String> actions = new ArrayList<>();
        boolean acceptable = true;

        @Override
        public boolean perform(Action action, Event event, Object data) {
            actions.add(action.code());
            return action != Action.AE_6 || acceptable;
        }
    }

    private final Recorder rec = new Recorder();
    private final StateMachine sm = new StateMachine("test", rec);

    private void drive(Event e, State expected) {
        sm.handle(e, null);
        assertThat(sm.state()).as("after " + e.code()).isEqualTo(expected);
    }

    @Test
    void acceptorLifecycleFromConnectToRelease() {
        drive(Event.EVT5, State.STA2);   // AE-5 start ARTIM
        drive(Event.EVT6, State.STA3);   // AE-6 acceptable -> indication
        drive(Event.EVT7, State.STA6);   // AE-7 send AC
        drive(Event.EVT10, State.STA6);  // DT-2
        drive(Event.EVT9, State.STA6);   // DT-1
        drive(Event.EVT12, State.STA8);  // AR-2 release indication
        drive(Event.EVT9, State.STA8);   // AR-7 outstanding response still sent
        drive(Event.EVT14, State.STA13); // AR-4 send RP, start ARTIM
        drive(Event.EVT17, State.STA1);  // AR-5
        assertThat(rec.actions).containsExactly("AE-5", "AE-6", "AE-7", "DT-2", "DT-1", "AR-2", "AR-7", "AR-4", "AR-5");
        assertThat(sm.isRequestor()).isFalse();
    }

    @Test
    void requestorLifecycle() {
        drive(Event.EVT1, State.STA4);
        drive(Event.EVT2, State.STA5);
        drive(Event.EVT3, State.STA6);
        drive(Event.EVT11, State.STA7);
        drive(Event.EVT10, State.STA7); // AR-6: data still arriving while awaiting RP
        drive(Event.EVT13, State.STA1);
        assertThat(rec.actions).containsExactly("AE-1", "AE-2", "AE-3", "AR-1", "AR-6", "AR-3");
        assertThat(sm.isRequestor()).isTrue();
    }

    @Test
    void requestorRejected() {
        drive(Event.EVT1, State.STA4);
        drive(Event.EVT2, State.STA5);
        drive(Event.EVT4, State.STA1);
        assertThat(rec.actions).endsWith("AE-4");
    }

    @Test
    void requestUnacceptableToTheProviderGoesToSta13() {
        rec.acceptable = false;
        drive(Event.EVT5, State.STA2);
        drive(Event.EVT6, State.STA13);
        drive(Event.EVT18, State.STA1); // ARTIM expired: AA-2 close
        assertThat(rec.actions).containsExactly("AE-5", "AE-6", "AA-2");
    }

    @Test
    void userRejectsThenPeerCloses() {
        drive(Event.EVT5, State.STA2);
        drive(Event.EVT6, State.STA3);
        drive(Event.EVT8, State.STA13); // AE-8
        drive(Event.EVT17, State.STA1);
        assertThat(rec.actions).containsExactly("AE-5", "AE-6", "AE-8", "AR-5");
    }

    @Test
    void artimExpiresWhileAwaitingTheRequest() {
        drive(Event.EVT5, State.STA2);
        drive(Event.EVT18, State.STA1);
        assertThat(rec.actions).containsExactly("AE-5", "AA-2");
    }

    @Test
    void releaseCollisionOnTheRequestorSide() {
        drive(Event.EVT1, State.STA4);
        drive(Event.EVT2, State.STA5);
        drive(Event.EVT3, State.STA6);
        drive(Event.EVT11, State.STA7);
        drive(Event.EVT12, State.STA9);  // AR-8, requestor
        drive(Event.EVT14, State.STA11); // AR-9 send RP
        drive(Event.EVT13, State.STA1);  // AR-3
        assertThat(rec.actions).endsWith("AR-1", "AR-8", "AR-9", "AR-3");
    }

    @Test
    void releaseCollisionOnTheAcceptorSide() {
        drive(Event.EVT5, State.STA2);
        drive(Event.EVT6, State.STA3);
        drive(Event.EVT7, State.STA6);
        drive(Event.EVT11, State.STA7);
        drive(Event.EVT12, State.STA10); // AR-8, acceptor
        drive(Event.EVT13, State.STA12); // AR-10
        drive(Event.EVT14, State.STA13); // AR-4
        drive(Event.EVT17, State.STA1);
        assertThat(rec.actions).endsWith("AR-1", "AR-8", "AR-10", "AR-4", "AR-5");
    }

    @Test
    void unexpectedPduInAnEstablishedAssociationAbortsIt() {
        drive(Event.EVT5, State.STA2);
        drive(Event.EVT6, State.STA3);
        drive(Event.EVT7, State.STA6);
        drive(Event.EVT6, State.STA13); // a second A-ASSOCIATE-RQ: AA-8
        drive(Event.EVT10, State.STA13); // AA-6 ignored
        drive(Event.EVT6, State.STA13); // AA-7
        drive(Event.EVT18, State.STA1);
        assertThat(rec.actions).endsWith("AA-8", "AA-6", "AA-7", "AA-2");
    }

    @Test
    void peerAbortAndTransportLoss() {
        drive(Event.EVT5, State.STA2);
        drive(Event.EVT6, State.STA3);
        drive(Event.EVT7, State.STA6);
        drive(Event.EVT16, State.STA1);
        assertThat(rec.actions).endsWith("AA-3");
        StateMachine other = new StateMachine("t2", rec);
        other.handle(Event.EVT5, null);
        other.handle(Event.EVT17, null);
        assertThat(other.state()).isEqualTo(State.STA1);
        assertThat(rec.actions).endsWith("AA-5");
    }

    @Test
    void invalidPduAndLocalAbort() {
        drive(Event.EVT5, State.STA2);
        drive(Event.EVT19, State.STA13); // AA-1 in Sta2
        StateMachine other = new StateMachine("t2", rec);
        other.handle(Event.EVT5, null);
        other.handle(Event.EVT6, null);
        other.handle(Event.EVT7, null);
        other.handle(Event.EVT15, null);
        assertThat(other.state()).isEqualTo(State.STA13);
        assertThat(rec.actions).endsWith("AA-1");
    }

    @Test
    void undefinedPduEventIsHandledAsInvalidPdu() {
        drive(Event.EVT1, State.STA4);
        // No PDU can arrive in Sta4 (no transport yet) but if one did, Evt19 has no entry either: nothing runs
        // for Sta4, so use an established association: Evt3 in Sta6 is defined (AA-8); Evt4 in Sta4 is not.
        sm.handle(Event.EVT4, null);
        assertThat(sm.state()).isEqualTo(State.STA4);
    }

    @Test
    void localPrimitiveNotAllowedInTheStateIsRefused() {
        assertThatThrownBy(() -> sm.handle(Event.EVT9, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Evt9").hasMessageContaining("Sta1");
        drive(Event.EVT5, State.STA2);
        assertThatThrownBy(() -> sm.handle(Event.EVT11, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eventRaisedInsideAnActionRunsAfterTheStateChange() {
        List<State> seen = new ArrayList<>();
        StateMachine[] holder = new StateMachine[1];
        holder[0] = new StateMachine("nested", (action, event, data) -> {
            if (action == Action.AE_6) {
                holder[0].handle(Event.EVT7, null); // the user answers at once, from inside the indication
            }
            seen.add(holder[0].state());
            return true;
        });
        holder[0].handle(Event.EVT5, null);
        holder[0].handle(Event.EVT6, null);
        assertThat(holder[0].state()).isEqualTo(State.STA6);
        // AE-5 sees Sta2 (set before the action), AE-6 still Sta2 (its outcome decides), AE-7 Sta6: the user's
        // answer raised inside AE-6 ran only after the machine had entered Sta3
        assertThat(seen).containsExactly(State.STA2, State.STA2, State.STA6);
    }

    @Test
    void tableHasTheStandardsShape() {
        int defined = 0;
        for (Event e : Event.values()) {
            for (State s : State.values()) {
                if (StateTable.action(s, e).isPresent()) {
                    defined++;
                }
            }
        }
        // PS3.8 Table 9-10 defines 1+1+11+11+1+11+1+1+2+11+1+11+11+3+10+11+12+2+11 cells
        assertThat(defined).isEqualTo(123);
        for (Event e : List.of(Event.EVT3, Event.EVT4, Event.EVT6, Event.EVT10, Event.EVT12, Event.EVT13, Event.EVT16, Event.EVT19)) {
            for (State s : State.values()) {
                boolean expected = s != State.STA1 && s != State.STA4;
                assertThat(StateTable.action(s, e).isPresent()).as(e.code() + " in " + s.code()).isEqualTo(expected);
            }
        }
    }

    /** The names the standard uses (Sta6, Evt3, AE-6), read back, and built once: the machine asks for them on every step. */
    @Test
    void codesAreTheStandardsNamesBuiltOnce() {
        for (State s : State.values()) {
            assertThat(s.code()).matches("Sta[0-9]{1,2}").isSameAs(s.code());
            assertThat(State.ofCode(s.code())).isSameAs(s);
        }
        for (Event e : Event.values()) {
            assertThat(e.code()).matches("Evt[0-9]{1,2}").isSameAs(e.code());
            assertThat(Event.ofCode(e.code())).isSameAs(e);
        }
        for (Action a : Action.values()) {
            assertThat(a.code()).matches("(AE|AR|AA|DT)-[0-9]{1,2}").isSameAs(a.code());
            assertThat(Action.ofCode(a.code())).isSameAs(a);
        }
        assertThat(State.STA6.code()).isEqualTo("Sta6");
        assertThat(Event.EVT19.code()).isEqualTo("Evt19");
        assertThat(Action.AE_6.code()).isEqualTo("AE-6");
    }
}
