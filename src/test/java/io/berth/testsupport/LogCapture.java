package io.berth.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every log record the application under test writes during one test, MDC included (the request
 * id): register with {@code @RegisterExtension LogCapture logs = new LogCapture();}. Works for
 * {@code @QuarkusTest}s, where test and application share the JVM's root logger.
 */
public final class LogCapture extends Handler implements BeforeEachCallback, AfterEachCallback {

    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();

    /** The records so far, oldest first. */
    public List<ExtLogRecord> records() {
        return records;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        records.clear();
        Logger.getLogger("").addHandler(this);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Logger.getLogger("").removeHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        ExtLogRecord ext = (ExtLogRecord) record;
        ext.copyMdc(); // the MDC belongs to the logging thread; read it now
        records.add(ext);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
