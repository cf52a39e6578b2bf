package org.ofsep.mwl.store.service;

import org.ofsep.mwl.core.service.UidGenerator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import org.ofsep.mwl.store.Database;
import org.ofsep.mwl.store.DatabaseSettings;

/**
 * A stand-in gateway process for the crash test: applies orders BURST-0, BURST-1, ... to the H2 database in
 * the given data directory and prints "ACK <placer>" after each one returns (the moment the real gateway
 * would send its ACK), until it is killed.
 */
public final class OrderBurstProcess {

    public static void main(String[] args) {
        Path data = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Database db = Database.open(DatabaseSettings.h2(data));
        JdbcOrderService orders = new JdbcOrderService(db, FakeMapping::new, new FakeDecisionEngine(),
                new UidGenerator(UidGenerator.DEFAULT_ROOT), Clock.systemUTC());
        System.out.println("READY");
        System.out.flush();
        for (int i = 0; i < count; i++) {
            orders.apply(order(i).build());
            System.out.println("ACK BURST-" + i);
            System.out.flush();
        }
        System.out.println("DONE");
        System.out.flush();
    }

    static Orders order(int i) {
        return Orders.order("BURST-" + i).procedure("ACC-B" + i, LocalDateTime.of(2026, 3, 3, 8, 0).plusMinutes(i));
    }
}
