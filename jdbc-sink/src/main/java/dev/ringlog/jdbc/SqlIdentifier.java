package dev.ringlog.jdbc;

import java.util.regex.Pattern;

/**
 * Validation of the SQL identifiers the sink writes into statements (table names): values are
 * always bound as parameters, identifiers cannot be, so they are checked against a conservative
 * pattern instead of being quoted.
 */
final class SqlIdentifier {

    /** An unquoted identifier that H2, PostgreSQL and MariaDB/MySQL all accept: at most 63 characters. */
    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private SqlIdentifier() {
    }

    /**
     * Returns {@code name} if it is {@code identifier} or {@code schema.identifier}, each part a letter or
     * underscore followed by at most 62 letters, digits or underscores.
     *
     * @throws IllegalArgumentException naming the setting, the rule and the value otherwise
     */
    static String validate(String setting, String name) {
        if (name != null) {
            int dot = name.indexOf('.');
            boolean ok = dot < 0
                    ? PART.matcher(name).matches()
                    : PART.matcher(name.substring(0, dot)).matches() && PART.matcher(name.substring(dot + 1)).matches();
            if (ok) {
                return name;
            }
        }
        throw new IllegalArgumentException(setting + " must be an SQL identifier, optionally schema-qualified"
                + " ([A-Za-z_][A-Za-z0-9_]{0,62}, e.g. events or audit.events): " + setting + "="
                + (name == null ? "null" : "'" + name + "'"));
    }

    /** The part after the schema, if any. */
    static String unqualified(String name) {
        return name.substring(name.indexOf('.') + 1);
    }
}
