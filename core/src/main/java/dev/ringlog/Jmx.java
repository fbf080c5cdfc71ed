package dev.ringlog;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.Objects;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers a log's {@link EventLogMXBean} with the platform MBean server. A name already taken (two
 * running logs with one name) is logged and the second log stays out of JMX, as HikariCP does with
 * pool names: it is not an error that stops the application.
 */
final class Jmx implements EventLogMXBean {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    private final EventLog<?> log;

    private Jmx(EventLog<?> log) {
        this.log = log;
    }

    /** {@code dev.ringlog:type=EventLog,name=<name>}; names are letters, digits, '.', '_', '-': no quoting. */
    static ObjectName objectName(String logName) {
        try {
            return new ObjectName("dev.ringlog:type=EventLog,name=" + logName);
        } catch (JMException e) {
            throw new IllegalStateException(e); // unreachable: Settings validates the name
        }
    }

    /** Registers {@code log}'s bean; the name it is registered under, or {@code null} if it is not. */
    static ObjectName register(EventLog<?> log) {
        ObjectName name = objectName(log.name());
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(new StandardMBean(new Jmx(log), EventLogMXBean.class, true), name);
            return name;
        } catch (InstanceAlreadyExistsException taken) {
            LOG.log(Level.WARNING, () -> "ringlog[" + log.name() + "]: JMX name " + name + " is taken by another"
                    + " running log; this log is not registered. Give each log its own name().");
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, () -> "ringlog[" + log.name() + "]: could not register " + name + " in JMX", e);
        }
        return null;
    }

    static void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            LOG.log(Level.DEBUG, () -> "ringlog: " + name + " was already unregistered", e);
        }
    }

    @Override
    public long getAccepted() {
        return log.stats().accepted();
    }

    @Override
    public long getDropped() {
        return log.stats().dropped();
    }

    @Override
    public long getDroppedRingFull() {
        return log.dropped(DropReason.RING_FULL);
    }

    @Override
    public long getDroppedClosed() {
        return log.dropped(DropReason.CLOSED);
    }

    @Override
    public long getDroppedSinkStopped() {
        return log.dropped(DropReason.SINK_STOPPED);
    }

    @Override
    public long getDroppedFromSink() {
        return log.dropped(DropReason.FROM_SINK);
    }

    @Override
    public long getWritten() {
        return log.stats().written();
    }

    @Override
    public long getFailed() {
        return log.stats().failed();
    }

    @Override
    public long getPending() {
        return log.stats().pending();
    }

    @Override
    public long getBatches() {
        return log.stats().batches();
    }

    @Override
    public long getRetries() {
        return log.stats().retries();
    }

    @Override
    public int getRingCapacity() {
        return log.ringCapacity();
    }

    @Override
    public long getRingRemaining() {
        return log.ringRemaining();
    }

    @Override
    public String getSinkState() {
        return log.sinkHealth().state().name();
    }

    @Override
    public int getConsecutiveFailures() {
        return log.sinkHealth().consecutiveFailures();
    }

    @Override
    public String getFailingSince() {
        return Objects.toString(log.sinkHealth().failingSince(), null);
    }

    @Override
    public String getLastFailure() {
        return log.sinkHealth().lastFailure();
    }

    @Override
    public String getNextAttempt() {
        return Objects.toString(log.sinkHealth().nextAttempt(), null);
    }

    @Override
    public double getBatchSizeMean() {
        return log.batchSizes().mean();
    }

    @Override
    public double getCommitMillisMean() {
        return log.commitNanos().mean() / 1e6;
    }

    @Override
    public double getCommitMillisMax() {
        return log.commitNanos().max() / 1e6;
    }

    @Override
    public double getDurableAckMillisMean() {
        return log.durableAckNanos().mean() / 1e6;
    }
}
