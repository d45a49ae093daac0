package io.xbzrle.migration.pipeline;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Publishes a migration's {@link MigrationStatus} as the MXBean {@code io.xbzrle:type=Migration}
 * (with an {@code id} key when more than one runs in the process). Closing unregisters it.
 */
public final class MigrationBean implements MigrationMXBean, AutoCloseable {
    private final MigrationStatus status;
    private final MBeanServer server;
    private final ObjectName name;

    private MigrationBean(MigrationStatus status, MBeanServer server, ObjectName name) {
        this.status = status;
        this.server = server;
        this.name = name;
    }

    /** Registers {@code status}; returns the bean, to close when the migration ends. */
    public static MigrationBean register(MigrationStatus status) {
        requireNonNull(status, "status is null");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (int id = 0; ; id++) {
                ObjectName name = new ObjectName(id == 0 ? "io.xbzrle:type=Migration"
                        : "io.xbzrle:type=Migration,id=" + id);
                MigrationBean bean = new MigrationBean(status, server, name);
                try {
                    server.registerMBean(bean, name);
                    return bean;
                } catch (InstanceAlreadyExistsException e) {
                    // another migration in this process has that name: try the next id
                }
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the migration's MXBean: " + e.getMessage(), e);
        }
    }

    /** The name it is registered under. */
    public ObjectName name() {
        return name;
    }

    private MigrationStatus.Snapshot s() {
        return status.published();
    }

    @Override
    public String getStatus() {
        return s().state();
    }

    @Override
    public long getTransferred() {
        return s().transferred();
    }

    @Override
    public long getRemaining() {
        return s().remainingBytes();
    }

    @Override
    public long getTotal() {
        return s().totalBytes();
    }

    @Override
    public long getDirtySyncCount() {
        return s().dirtySyncCount(); // as the result's dirty-sync-count (rounds() is one less)
    }

    @Override
    public long getDuplicate() {
        return s().duplicate();
    }

    @Override
    public long getNormal() {
        return s().normal();
    }

    @Override
    public long getXbzrlePages() {
        return s().xbzrlePages();
    }

    @Override
    public long getXbzrleBytes() {
        return s().xbzrleBytes();
    }

    @Override
    public long getCacheMiss() {
        return s().cacheMiss();
    }

    @Override
    public long getOverflow() {
        return s().overflow();
    }

    @Override
    public double getDirtyPagesRate() {
        return s().dirtyPagesRate();
    }

    @Override
    public long getExpectedDowntime() {
        return s().expectedDowntimeMs();
    }

    @Override
    public int getCpuThrottlePercentage() {
        return s().throttlePercent();
    }

    @Override
    public long getCacheSize() {
        return status.cacheSize();
    }

    @Override
    public void setCacheSize(long bytes) {
        status.cacheSize(bytes);
    }

    @Override
    public void close() {
        try {
            server.unregisterMBean(name);
        } catch (JMException e) {
            // already gone: nothing to undo
        }
    }
}
