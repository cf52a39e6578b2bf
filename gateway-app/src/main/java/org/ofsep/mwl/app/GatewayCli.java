package org.ofsep.mwl.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The gateway's command line: {@code java -jar gateway.jar <command>}. Every command takes {@code --config DIR}
 * (default ./config) and {@code --data DIR} (default ./data).
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, version = "MWL Gateway 0.1.0",
        description = "HL7 orders in, OFSEP protocol decided, DICOM Modality Worklist out.",
        subcommands = {ServeCommand.class, ValidateCommand.class, DecideCommand.class, QueryCommand.class,
                ExportCommand.class, ReportCommand.class, MessagesCommand.class, ReplayCommand.class,
                SendCommand.class, UpgradeMappingCommand.class, UserCommand.class, AuditCommand.class,
                PriorsCommand.class, DoctorCommand.class, CompactCommand.class})
public final class GatewayCli implements Runnable {

    /** --config and --data, shared by every command. */
    public static final class Dirs {
        @Option(names = "--config", paramLabel = "DIR", defaultValue = "config",
                description = "Directory with gateway.yaml, the mapping and logback.xml (default: ${DEFAULT-VALUE}).")
        Path config;

        @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
                description = "Data directory: embedded database, exports (default: ${DEFAULT-VALUE}).")
        Path data;

        public Path config() {
            return config;
        }

        public Path data() {
            return data;
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        configureLogging(args);
        if (!isServe(args)) {
            // one-shot commands print their result; the start/stop chatter of the store is noise there
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        int code = commandLine().execute(args);
        stopLogging();
        System.exit(code);
    }

    /**
     * Stops the logging context: the asynchronous appender of logback.xml writes the lines still queued (its
     * writer thread is a daemon, so without this they would be lost at exit). Idempotent; the serve command's
     * shutdown hook calls it after the gateway has stopped.
     */
    static void stopLogging() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }

    private static boolean isServe(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return arg.equals("serve");
            }
        }
        return false;
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GatewayCli());
        // every date option (report, audit, decide, priors) says what it wants, not a Java class and its exception
        cli.registerConverter(java.time.LocalDate.class, value -> {
            try {
                return java.time.LocalDate.parse(value.trim());
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a date YYYY-MM-DD");
            }
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + describe(e));
            return 2;
        });
        return cli;
    }

    /**
     * What went wrong, in words: a file error says which file and why ("export --out nodir/x.json" printed only
     * "error: nodir/x.json", the message of Java's NoSuchFileException).
     */
    static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException f) {
            return "no such file or directory: " + f.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Uses {@code <config>/logback.xml} when present, before any logger exists. */
    private static void configureLogging(String[] args) {
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        Path config = Path.of("config");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--config=")) {
                config = Path.of(args[i].substring("--config=".length()));
            }
        }
        Path logback = config.resolve("logback.xml");
        if (Files.isRegularFile(logback)) {
            System.setProperty("logback.configurationFile", logback.toAbsolutePath().toString());
        }
    }

    /** Base for commands: exit code 0 on success. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        Dirs dirs;

        /** gateway.yaml of --config, or null once the reason it cannot be read is printed (exit 1 then). */
        GatewayConfig configOrExplain() {
            try {
                return GatewayConfig.load(dirs.config());
            } catch (Exception e) {
                System.err.println(e.getMessage());
                return null;
            }
        }
    }
}
