package org.arca.store.fs.crash;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** Captures the log lines in which journal recovery reports what it cut or removed. */
final class RecoveryLog implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("org.arca.store.journal.JournalRecovery");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    RecoveryLog() {
        appender.start();
        logger.addAppender(appender);
    }

    synchronized void clear() {
        appender.list.clear();
    }

    /** Returns the number of captured lines that report a cut or a removed segment. */
    long cutMessages() {
        return appender.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.startsWith("Cut the") || message.startsWith("Removed the"))
                .count();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
