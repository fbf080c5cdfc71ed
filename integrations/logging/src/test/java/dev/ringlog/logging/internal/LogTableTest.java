package dev.ringlog.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The DDL and insert of declared columns per database, and the messages of a wrong declaration. */
class LogTableTest {

    private static final List<LogColumn> COLUMNS = List.of(LogColumn.of(null, "ts", null), LogColumn.of("msg", "message", "VARCHAR(200)"),
            LogColumn.of("user_id", "mdc:user", "BIGINT"), LogColumn.of("payload", "json", null));

    @Test
    void theStandardColumnsWhenNoneIsDeclared() {
        assertEquals("CREATE TABLE IF NOT EXISTS app_logs (id BIGINT NOT NULL PRIMARY KEY, ts TIMESTAMP(6) NOT NULL,"
                + " level VARCHAR(5) NOT NULL, logger VARCHAR(255) NOT NULL, thread VARCHAR(255), message TEXT, throwable TEXT,"
                + " mdc JSONB, kv JSONB, markers VARCHAR(255))", new LogTable(LogDialect.POSTGRESQL, "app_logs", List.of()).create());
    }

    @Test
    void declaredColumnsPerDatabase() {
        assertEquals("CREATE TABLE IF NOT EXISTS t (id BIGINT NOT NULL PRIMARY KEY, ts DATETIME(6) NOT NULL, msg VARCHAR(200),"
                + " user_id BIGINT, payload JSON)", new LogTable(LogDialect.MARIADB, "t", COLUMNS).create());
        assertEquals("INSERT INTO t (id, ts, msg, user_id, payload) VALUES (?, ?, ?, ?, CAST(? AS JSONB)) ON CONFLICT (id) DO NOTHING",
                new LogTable(LogDialect.POSTGRESQL, "t", COLUMNS).insert());
        assertEquals("MERGE INTO t (id, ts, msg, user_id, payload) KEY (id) VALUES (?, ?, ?, ?, ?)",
                new LogTable(LogDialect.H2, "t", COLUMNS).insert());
    }

    @Test
    void aWrongDeclarationNamesTheKeyTheRuleAndTheValue() {
        assertMessage("column x: source must be one of ts, level, logger, thread, message, throwable, markers, mdc, kv, json,"
                + " mdc:<key> or kv:<key>: source='stack'", () -> LogColumn.of("x", "stack", null));
        assertMessage("column name must be [A-Za-z_][A-Za-z0-9_]{0,62} (required for a source mdc:<key> or kv:<key>): name=null"
                + " (source='mdc:user')", () -> LogColumn.of(null, "mdc:user", null));
        assertMessage("column null: the key after kv: must be non-empty, without leading or trailing spaces: source='kv:'",
                () -> LogColumn.of(null, "kv:", null));
        assertMessage("column ts: type must be one of TIMESTAMP for source ts: type='BIGINT'", () -> LogColumn.of(null, "ts", "BIGINT"));
        assertMessage("column m: type must be one of VARCHAR(n) with n in [1, 16383], TEXT for source message: type='VARCHAR(0)'",
                () -> LogColumn.of("m", "message", "VARCHAR(0)"));
        assertMessage("column name id is the table's key, always there: declare another name (source='mdc:id')",
                () -> LogColumn.of("id", "mdc:id", null));
        assertMessage("column name must not be a reserved word of SQL, H2, PostgreSQL or MariaDB/MySQL (the name is not quoted):"
                + " column name='user' uses 'user'; choose another name, e.g. user_events", () -> LogColumn.of("user", "mdc:user", null));
        assertMessage("column names must be unique in table t: column name='level' is declared twice",
                () -> new LogTable(LogDialect.H2, "t", List.of(LogColumn.of(null, "level", null), LogColumn.of("level", "mdc:level", null))));
        assertMessage("table must be an SQL identifier, optionally schema-qualified ([A-Za-z_][A-Za-z0-9_]{0,62}, e.g. events or"
                + " audit.events): table='app logs'", () -> new LogTable(LogDialect.H2, "app logs", List.of()));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable declaration) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, declaration).getMessage());
    }
}
