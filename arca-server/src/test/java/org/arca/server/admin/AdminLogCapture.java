package org.arca.server.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what {@link AdminHandler} logs, through a real Logback appender. */
final class AdminLogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(AdminHandler.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    AdminLogCapture() {
        appender.start();
        logger.addAppender(appender);
    }

    /** Returns the formatted messages logged at {@code level}. */
    List<String> messages(Level level) {
        return appender.list.stream().filter(event -> event.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
