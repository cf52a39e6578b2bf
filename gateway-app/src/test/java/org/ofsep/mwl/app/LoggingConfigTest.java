package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The shipped logging configuration (the jar's logback.xml and config/logback.xml, which a site copies): every line
 * goes through one asynchronous appender that drops nothing and is written out when the context stops, as the
 * gateway does on exit ({@link GatewayCli#stopLogging}).
 */
class LoggingConfigTest {

    private static final Path REPO_CONFIG = Path.of("..", "config", "logback.xml");

    @Test
    void theSiteCopyIsTheJarsConfiguration() throws Exception {
        try (InputStream jar = LoggingConfigTest.class.getResourceAsStream("/logback.xml")) {
            assertThat(jar).isNotNull();
            assertThat(Files.readString(REPO_CONFIG)).isEqualTo(new String(jar.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyLineGoesThroughAnAsyncAppenderThatDropsNothing() throws Exception {
        LoggerContext context = configured();
        try {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getAppender("CONSOLE")).as("the console is only written by the async writer").isNull();
            AsyncAppender async = (AsyncAppender) root.getAppender("ASYNC");
            assertThat(async).isNotNull();
            assertThat(async.getDiscardingThreshold()).isZero();
            assertThat(async.isNeverBlock()).isFalse();
            assertThat(async.getQueueSize()).isEqualTo(8192);
            assertThat(async.getAppender("CONSOLE")).isNotNull();
        } finally {
            context.stop();
        }
    }

    @Test
    void linesQueuedBeyondTheQueueAreWaitedForAndWrittenWhenTheContextStops() throws Exception {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        String status = "";
        int n = 20_000; // more than twice the queue: INFO lines are neither discarded nor dropped
        try {
            // the console appender writes to whatever System.err is at each write
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            LoggerContext context = configured();
            Logger log = context.getLogger("org.ofsep.mwl.test");
            for (int i = 0; i < n; i++) {
                log.info("line {}", i);
            }
            context.stop(); // what GatewayCli.stopLogging does before the JVM exits
            status = context.getStatusManager().getCopyOfStatusList().toString();
        } finally {
            System.setErr(stderr);
        }
        java.util.List<String> lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains(" - line ")).toList();
        assertThat(lines.size()).as("lines written; " + status).isEqualTo(n);
        assertThat(lines.get(0)).contains("INFO").endsWith(" - line 0");
        assertThat(lines.get(n - 1)).endsWith(" - line " + (n - 1));
    }

    private static LoggerContext configured() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as the SLF4J binding does
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(REPO_CONFIG.toFile());
        return context;
    }
}
