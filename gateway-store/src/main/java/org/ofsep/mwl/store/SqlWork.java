package org.ofsep.mwl.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done inside one database transaction. It may run more than once (retried after a conflict). */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
