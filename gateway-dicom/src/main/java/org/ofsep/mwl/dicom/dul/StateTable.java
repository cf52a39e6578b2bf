package org.ofsep.mwl.dicom.dul;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The DICOM Upper Layer state transition table, PS3.8 Table 9-10, written row by row as the standard prints it:
 * for each event, the action in each state where the event is defined. A state absent from a row means the
 * event is not expected in that state.
 */
public final class StateTable {

    private static final String[] ROWS = {
        "Evt1:  Sta1=AE-1",
        "Evt2:  Sta4=AE-2",
        "Evt3:  Sta2=AA-1 Sta3=AA-8 Sta5=AE-3 Sta6=AA-8 Sta7=AA-8 Sta8=AA-8 Sta9=AA-8 Sta10=AA-8 Sta11=AA-8 Sta12=AA-8 Sta13=AA-6",
        "Evt4:  Sta2=AA-1 Sta3=AA-8 Sta5=AE-4 Sta6=AA-8 Sta7=AA-8 Sta8=AA-8 Sta9=AA-8 Sta10=AA-8 Sta11=AA-8 Sta12=AA-8 Sta13=AA-6",
        "Evt5:  Sta1=AE-5",
        "Evt6:  Sta2=AE-6 Sta3=AA-8 Sta5=AA-8 Sta6=AA-8 Sta7=AA-8 Sta8=AA-8 Sta9=AA-8 Sta10=AA-8 Sta11=AA-8 Sta12=AA-8 Sta13=AA-7",
        "Evt7:  Sta3=AE-7",
        "Evt8:  Sta3=AE-8",
        "Evt9:  Sta6=DT-1 Sta8=AR-7",
        "Evt10: Sta2=AA-1 Sta3=AA-8 Sta5=AA-8 Sta6=DT-2 Sta7=AR-6 Sta8=AA-8 Sta9=AA-8 Sta10=AA-8 Sta11=AA-8 Sta12=AA-8 Sta13=AA-6",
        "Evt11: Sta6=AR-1",
        "Evt12: Sta2=AA-1 Sta3=AA-8 Sta5=AA-8 Sta6=AR-2 Sta7=AR-8 Sta8=AA-8 Sta9=AA-8 Sta10=AA-8 Sta11=AA-8 Sta12=AA-8 Sta13=AA-6",
        "Evt13: Sta2=AA-1 Sta3=AA-8 Sta5=AA-8 Sta6=AA-8 Sta7=AR-3 Sta8=AA-8 Sta9=AA-8 Sta10=AR-10 Sta11=AR-3 Sta12=AA-8 Sta13=AA-6",
        "Evt14: Sta8=AR-4 Sta9=AR-9 Sta12=AR-4",
        "Evt15: Sta3=AA-1 Sta4=AA-2 Sta5=AA-1 Sta6=AA-1 Sta7=AA-1 Sta8=AA-1 Sta9=AA-1 Sta10=AA-1 Sta11=AA-1 Sta12=AA-1",
        "Evt16: Sta2=AA-2 Sta3=AA-3 Sta5=AA-3 Sta6=AA-3 Sta7=AA-3 Sta8=AA-3 Sta9=AA-3 Sta10=AA-3 Sta11=AA-3 Sta12=AA-3 Sta13=AA-2",
        "Evt17: Sta2=AA-5 Sta3=AA-4 Sta4=AA-4 Sta5=AA-4 Sta6=AA-4 Sta7=AA-4 Sta8=AA-4 Sta9=AA-4 Sta10=AA-4 Sta11=AA-4 Sta12=AA-4 Sta13=AR-5",
        "Evt18: Sta2=AA-2 Sta13=AA-2",
        "Evt19: Sta2=AA-1 Sta3=AA-8 Sta5=AA-8 Sta6=AA-8 Sta7=AA-8 Sta8=AA-8 Sta9=AA-8 Sta10=AA-8 Sta11=AA-8 Sta12=AA-8 Sta13=AA-7",
    };

    private static final Map<Event, Map<State, Action>> TABLE = parse();

    private StateTable() {
    }

    /** The action for {@code event} in {@code state}, empty when the standard does not define one. */
    public static Optional<Action> action(State state, Event event) {
        return Optional.ofNullable(TABLE.get(event).get(state));
    }

    private static Map<Event, Map<State, Action>> parse() {
        Map<Event, Map<State, Action>> table = new EnumMap<>(Event.class);
        for (Event e : Event.values()) {
            table.put(e, new EnumMap<>(State.class));
        }
        for (String row : ROWS) {
            String[] parts = row.split(":", 2);
            Event event = Event.ofCode(parts[0].trim());
            for (String cell : parts[1].trim().split("\\s+")) {
                String[] kv = cell.split("=");
                table.get(event).put(State.ofCode(kv[0]), Action.ofCode(kv[1]));
            }
        }
        return table;
    }
}
