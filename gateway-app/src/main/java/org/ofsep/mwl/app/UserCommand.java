package org.ofsep.mwl.app;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ofsep.mwl.core.review.Role;
import org.ofsep.mwl.core.review.User;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The people who may log in to the admin port: {@code gateway user add|disable|list}. */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Users of the admin port (the board and the review): add, disable, list.",
        subcommands = {UserCommand.Add.class, UserCommand.Disable.class, UserCommand.ListUsers.class})
final class UserCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The operating-system user running the command, for the audit trail. */
    /** The person at the command line, and where: "cli:root@ris-gw1" (the audit trail's actor). */
    static String cliActor() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown host";
        }
        return "cli:" + System.getProperty("user.name", "unknown") + "@" + host;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds a user (or sets the role and password of an existing one and enables it). "
                    + "Asks for the password twice, or reads one line from standard input with --password-stdin.")
    static final class Add extends GatewayCli.Base {
        @Parameters(paramLabel = "NAME", description = "User name (letters, digits, . _ -; at most 64).")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "radiologist (confirms, overrides), technologist (views, notes) or admin (users, audit).")
        String role;

        @Option(names = "--password-stdin", description = "Read the password from standard input (scripts).")
        boolean stdin;

        @Override
        public Integer call() throws Exception {
            String user = checkName(name);
            Role r = Role.parse(role);
            char[] password = readPassword();
            String hash;
            try {
                hash = Passwords.hash(java.nio.CharBuffer.wrap(password));
            } finally {
                Arrays.fill(password, '\0');
            }
            try (Gateway gateway = Gateway.open(GatewayConfig.load(dirs.config()), dirs.config(), dirs.data())) {
                boolean created = gateway.users.add(user, r, hash, cliActor());
                System.out.println((created ? "Added " : "Updated ") + r.label() + " " + user);
            }
            return 0;
        }

        private char[] readPassword() throws java.io.IOException {
            if (stdin) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line = in.readLine();
                if (line == null || line.isEmpty()) {
                    throw new IllegalArgumentException("no password on standard input");
                }
                return line.toCharArray();
            }
            Console console = System.console();
            if (console == null) {
                throw new IllegalArgumentException("no terminal to ask the password: use --password-stdin");
            }
            char[] first = console.readPassword("Password for %s: ", name);
            char[] second = console.readPassword("Same password again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new IllegalArgumentException("the two passwords differ");
            }
            Arrays.fill(second, '\0');
            return first;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disables a user: no more logins (the audit trail keeps the name).")
    static final class Disable extends GatewayCli.Base {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Gateway gateway = Gateway.open(GatewayConfig.load(dirs.config()), dirs.config(), dirs.data())) {
                if (!gateway.users.disable(name, cliActor())) {
                    System.err.println("no user '" + name + "'");
                    return 1;
                }
                System.out.println("Disabled " + name);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the users and their roles.")
    static final class ListUsers extends GatewayCli.Base {
        @Override
        public Integer call() throws Exception {
            try (Gateway gateway = Gateway.open(GatewayConfig.load(dirs.config()), dirs.config(), dirs.data())) {
                for (User u : gateway.users.list()) {
                    System.out.printf("%-24s %-13s %s%n", u.name(), u.role().label(), u.enabled() ? "enabled"
                            : "disabled");
                }
            }
            return 0;
        }
    }

    static String checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("a user name has 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        return name;
    }
}
