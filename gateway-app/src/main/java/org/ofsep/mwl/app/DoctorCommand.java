package org.ofsep.mwl.app;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Checks a deployment, one line per check; exit 1 when a check fails. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the deployment: configuration and mapping, ports, data directory, database and "
                + "migrations, TLS certificates, the RIS and the PACS, the clock. One line per check; exit 1 when "
                + "one fails (FAIL), 0 otherwise (OK, WARN, SKIP).")
final class DoctorCommand extends GatewayCli.Base {

    @Option(names = "--min-free-mb", defaultValue = "1024", paramLabel = "MB",
            description = "Free space the data directory's file system must have (default: ${DEFAULT-VALUE} MB).")
    long minFreeMb;

    @Option(names = "--timeout", defaultValue = "5", paramLabel = "SECONDS",
            description = "Longest wait for the RIS and the PACS (default: ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1) {
            System.err.println("error: --timeout: " + timeoutSeconds + " is not a number of seconds (1 or more)");
            return 2;
        }
        List<Doctor.Check> checks = new Doctor(dirs.config(), dirs.data(), minFreeMb * 1024 * 1024,
                Clock.systemDefaultZone(), Duration.ofSeconds(timeoutSeconds)).run();
        checks.forEach(System.out::println);
        long failed = checks.stream().filter(c -> c.status() == Doctor.Status.FAIL).count();
        long warned = checks.stream().filter(c -> c.status() == Doctor.Status.WARN).count();
        System.out.println(failed == 0 ? "doctor: no failure" + (warned == 0 ? "" : ", " + warned + " warning(s)")
                : "doctor: " + failed + " check(s) failed");
        return failed == 0 ? 0 : 1;
    }
}
