package dev.ringlog;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers a log's {@link EventLogMXBean}, and an {@link EventLogSinkMXBean} per sink, with the platform
 * MBean server. A name already taken (two
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

    /** {@code dev.ringlog:type=EventLogSink,name=<log name>,sink=<sink name>}; both names validated: no quoting. */
    static ObjectName sinkObjectName(String logName, String sinkName) {
        try {
            return new ObjectName("dev.ringlog:type=EventLogSink,name=" + logName + ",sink=" + sinkName);
        } catch (JMException e) {
            throw new IllegalStateException(e); // unreachable: Settings validates the names
        }
    }

    /**
     * Registers {@code log}'s bean and one bean per sink; the names registered (none if the log's name is
     * taken: its sinks' names would be too).
     */
    static List<ObjectName> register(EventLog<?> log) {
        ObjectName name = objectName(log.name());
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<ObjectName> registered = new ArrayList<>();
        try {
            server.registerMBean(new StandardMBean(new Jmx(log), EventLogMXBean.class, true), name);
            registered.add(name);
            for (SinkView sink : log.sinks()) {
                ObjectName sinkName = sinkObjectName(log.name(), sink.name());
                server.registerMBean(new StandardMBean(new SinkBean(sink), EventLogSinkMXBean.class, true), sinkName);
                registered.add(sinkName);
            }
        } catch (InstanceAlreadyExistsException taken) {
            LOG.log(Level.WARNING, () -> "ringlog[" + log.name() + "]: JMX name " + name + " is taken by another"
                    + " running log; this log is not registered. Give each log its own name().");
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, () -> "ringlog[" + log.name() + "]: could not register " + name + " in JMX", e);
        }
        return registered;
    }

    static void unregister(List<ObjectName> names) {
        for (ObjectName name : names) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                LOG.log(Level.DEBUG, () -> "ringlog: " + name + " was already unregistered", e);
            }
        }
    }

    @Override
    public long getJournalRecords() {
        return log.journalStats().records();
    }

    @Override
    public long getJournalBytes() {
        return log.journalStats().bytes();
    }

    @Override
    public long getJournalSyncs() {
        return log.journalStats().syncs();
    }

    @Override
    public long getJournalReplayed() {
        return log.journalStats().replayed();
    }

    @Override
    public long getJournalDamaged() {
        return log.journalStats().damaged();
    }

    @Override
    public long getJournalCut() {
        return log.journalStats().cut();
    }

    @Override
    public long getJournalFullWaits() {
        return log.journalStats().fullWaits();
    }

    @Override
    public long getJournalWriteFailures() {
        return log.journalStats().writeFailures();
    }

    @Override
    public long getJournalCodecFailures() {
        return log.journalStats().codecFailures();
    }

    /** One sink's bean. */
    private static final class SinkBean implements EventLogSinkMXBean {

        private final SinkView sink;

        SinkBean(SinkView sink) {
            this.sink = sink;
        }

        @Override
        public long getAccepted() {
            return sink.stats().accepted();
        }

        @Override
        public long getWritten() {
            return sink.stats().written();
        }

        @Override
        public long getFailed() {
            return sink.stats().failed();
        }

        @Override
        public long getFiltered() {
            return sink.stats().filtered();
        }

        @Override
        public long getSampledOut() {
            return sink.stats().sampledOut();
        }

        @Override
        public long getPending() {
            return sink.stats().pending();
        }

        @Override
        public long getBatches() {
            return sink.stats().batches();
        }

        @Override
        public long getRetries() {
            return sink.stats().retries();
        }

        @Override
        public String getSinkState() {
            return sink.health().state().name();
        }

        @Override
        public int getConsecutiveFailures() {
            return sink.health().consecutiveFailures();
        }

        @Override
        public String getLastFailure() {
            return sink.health().lastFailure();
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
    public long getDroppedJournalFull() {
        return log.dropped(DropReason.JOURNAL_FULL);
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
    public long getFiltered() {
        return log.stats().filtered();
    }

    @Override
    public long getSampledOut() {
        return log.stats().sampledOut();
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
