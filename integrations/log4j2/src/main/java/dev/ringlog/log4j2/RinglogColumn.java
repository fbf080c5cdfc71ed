package dev.ringlog.log4j2;

import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/**
 * One {@code <RinglogColumn name="user_id" source="mdc:user" type="BIGINT"/>} of a {@code <Ringlog>}
 * appender: the same {@code name}, {@code source} and {@code type} as a {@code <column>} of ringlog-logback
 * (Log4j2's own {@code <Column>} is its JdbcAppender's). Checked when the appender is built.
 */
@Plugin(name = "RinglogColumn", category = Core.CATEGORY_NAME, printObject = true)
public final class RinglogColumn {

    final String name;
    final String source;
    final String type;

    private RinglogColumn(String name, String source, String type) {
        this.name = name;
        this.source = source;
        this.type = type;
    }

    /** Log4j2's factory of this plugin: the attributes of {@code <RinglogColumn>}. */
    @PluginFactory
    public static RinglogColumn create(@PluginAttribute("name") String name, @PluginAttribute("source") String source,
                                       @PluginAttribute("type") String type) {
        return new RinglogColumn(name, source, type);
    }

    @Override
    public String toString() {
        return "RinglogColumn[name=" + name + ", source=" + source + ", type=" + type + "]";
    }
}
