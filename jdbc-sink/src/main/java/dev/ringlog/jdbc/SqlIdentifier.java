package dev.ringlog.jdbc;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation of the SQL identifiers the sink writes into statements (table names): values are
 * always bound as parameters, identifiers cannot be, so they are checked against a conservative
 * pattern and a list of reserved words instead of being quoted. Not quoting keeps the database's
 * usual case folding ({@code analytics_events} is {@code ANALYTICS_EVENTS} in H2, as an application's
 * own SQL writes it), which quoting would change for tables that exist already, and MariaDB quotes
 * with backticks unless {@code ANSI_QUOTES} is set.
 */
final class SqlIdentifier {

    /**
     * Words a table name cannot be, unquoted, on at least one of the databases the standard table
     * supports: the reserved words of H2 2.x, PostgreSQL 15 (reserved, and reserved except as a
     * function or type name) and MariaDB 10.11/MySQL 8, which include the SQL:2016 reserved words they
     * implement. A name that passes works on all of them.
     */
    private static final Set<String> RESERVED = Set.of((""
            // H2 2.x
            + "ALL AND ANY ARRAY AS ASYMMETRIC AUTHORIZATION BETWEEN BOTH CASE CAST CHECK CONSTRAINT CROSS"
            + " CURRENT_CATALOG CURRENT_DATE CURRENT_PATH CURRENT_ROLE CURRENT_SCHEMA CURRENT_TIME"
            + " CURRENT_TIMESTAMP CURRENT_USER DAY DEFAULT DISTINCT ELSE END EXCEPT EXISTS FALSE FETCH FOR"
            + " FOREIGN FROM FULL GROUP GROUPS HAVING HOUR IF ILIKE IN INNER INTERSECT INTERVAL IS JOIN KEY"
            + " LEADING LEFT LIKE LIMIT LOCALTIME LOCALTIMESTAMP MINUS MINUTE MONTH NATURAL NOT NULL OFFSET ON"
            + " OR ORDER OVER PARTITION PRIMARY QUALIFY RANGE REGEXP RIGHT ROW ROWNUM ROWS SECOND SESSION_USER"
            + " SET SOME SYMMETRIC SYSTEM_USER TABLE TO TOP TRAILING TRUE UESCAPE UNION UNIQUE UNKNOWN USER"
            + " USING VALUE VALUES WHEN WHERE WINDOW WITH YEAR _ROWID_"
            // PostgreSQL, beyond H2's
            + " ANALYSE ANALYZE ASC BINARY COLLATE COLLATION COLUMN CONCURRENTLY CREATE DEFERRABLE DESC DO"
            + " FREEZE GRANT INITIALLY INTO ISNULL LATERAL NOTNULL ONLY OUTER OVERLAPS PLACING REFERENCES"
            + " RETURNING SIMILAR TABLESAMPLE THEN VARIADIC VERBOSE"
            // MariaDB and MySQL 8, beyond the above
            + " ACCESSIBLE ADD ALTER ASENSITIVE BEFORE BIGINT BLOB BY CALL CASCADE CHANGE CHAR CHARACTER"
            + " CONDITION CONTINUE CONVERT CUBE CUME_DIST CURSOR DATABASE DATABASES DAY_HOUR DAY_MICROSECOND"
            + " DAY_MINUTE DAY_SECOND DEC DECIMAL DECLARE DELAYED DELETE DELETE_DOMAIN_ID DENSE_RANK DESCRIBE"
            + " DETERMINISTIC DISTINCTROW DIV DO_DOMAIN_IDS DOUBLE DROP DUAL EACH ELSEIF EMPTY ENCLOSED ESCAPED"
            + " EXIT EXPLAIN FIRST_VALUE FLOAT FLOAT4 FLOAT8 FORCE FULLTEXT FUNCTION GENERAL GENERATED GET"
            + " GROUPING HIGH_PRIORITY HOUR_MICROSECOND HOUR_MINUTE HOUR_SECOND IGNORE IGNORE_DOMAIN_IDS"
            + " IGNORE_SERVER_IDS INDEX INFILE INOUT INSENSITIVE INSERT INT INT1 INT2 INT3 INT4 INT8 INTEGER"
            + " IO_AFTER_GTIDS IO_BEFORE_GTIDS ITERATE JSON_TABLE KEYS KILL LAG LAST_VALUE LEAD LEAVE LINEAR"
            + " LINES LOAD LOCK LONG LONGBLOB LONGTEXT LOOP LOW_PRIORITY MASTER_BIND MASTER_HEARTBEAT_PERIOD"
            + " MASTER_SSL_VERIFY_SERVER_CERT MATCH MAXVALUE MEDIUMBLOB MEDIUMINT MEDIUMTEXT MIDDLEINT"
            + " MINUTE_MICROSECOND MINUTE_SECOND MOD MODIFIES NO_WRITE_TO_BINLOG NTH_VALUE NTILE NUMERIC OF"
            + " OPTIMIZE OPTIMIZER_COSTS OPTION OPTIONALLY OUT OUTFILE PAGE_CHECKSUM PARSE_VCOL_EXPR"
            + " PERCENT_RANK POSITION PRECISION PROCEDURE PURGE RANK READ READS READ_WRITE REAL RECURSIVE"
            + " REF_SYSTEM_ID RELEASE RENAME REPEAT REPLACE REQUIRE RESIGNAL RESTRICT RETURN REVOKE RLIKE"
            + " ROW_NUMBER SCHEMA SCHEMAS SECOND_MICROSECOND SELECT SENSITIVE SEPARATOR SHOW SIGNAL SLOW"
            + " SMALLINT SPATIAL SPECIFIC SQL SQLEXCEPTION SQLSTATE SQLWARNING SQL_BIG_RESULT"
            + " SQL_CALC_FOUND_ROWS SQL_SMALL_RESULT SSL STARTING STATS_AUTO_RECALC STATS_PERSISTENT"
            + " STATS_SAMPLE_PAGES STORED STRAIGHT_JOIN SYSTEM TERMINATED TINYBLOB TINYINT TINYTEXT TRIGGER"
            + " UNDO UNLOCK UNSIGNED UPDATE USAGE USE UTC_DATE UTC_TIME UTC_TIMESTAMP VARBINARY VARCHAR"
            + " VARCHARACTER VARYING VIRTUAL WHILE WRITE XOR YEAR_MONTH ZEROFILL").split(" "));

    /** An unquoted identifier that H2, PostgreSQL and MariaDB/MySQL all accept: at most 63 characters. */
    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private SqlIdentifier() {
    }

    /**
     * Returns {@code name} if it is {@code identifier} or {@code schema.identifier}, each part a letter or
     * underscore followed by at most 62 letters, digits or underscores, and not a reserved word.
     *
     * @throws IllegalArgumentException naming the setting, the rule and the value otherwise
     */
    static String validate(String setting, String name) {
        if (name != null) {
            int dot = name.indexOf('.');
            String schema = dot < 0 ? null : name.substring(0, dot);
            String table = name.substring(dot + 1);
            boolean ok = PART.matcher(table).matches() && (schema == null || PART.matcher(schema).matches());
            if (ok) {
                if (reserved(table) || (schema != null && reserved(schema))) {
                    throw new IllegalArgumentException(setting + " must not be a reserved word of SQL, H2, PostgreSQL"
                            + " or MariaDB/MySQL (the name is not quoted): " + setting + "='" + name + "' uses '"
                            + (reserved(table) ? table : schema) + "'; choose another name, e.g. "
                            + table.toLowerCase(Locale.ROOT) + "_events");
                }
                return name;
            }
        }
        throw new IllegalArgumentException(setting + " must be an SQL identifier, optionally schema-qualified"
                + " ([A-Za-z_][A-Za-z0-9_]{0,62}, e.g. events or audit.events): " + setting + "="
                + (name == null ? "null" : "'" + name + "'"));
    }

    private static boolean reserved(String part) {
        return RESERVED.contains(part.toUpperCase(Locale.ROOT));
    }

    /** The part after the schema, if any. */
    static String unqualified(String name) {
        return name.substring(name.indexOf('.') + 1);
    }
}
