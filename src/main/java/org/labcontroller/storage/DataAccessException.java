package org.labcontroller.storage;

import java.sql.SQLException;

/** An unchecked wrapper for a database failure, so services need not declare SQLException. */
public class DataAccessException extends RuntimeException {
    public DataAccessException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public SQLException sqlException() {
        return (SQLException) getCause();
    }
}
