package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;

/** Issue 16 #14: {@code gateway messages --show} never prints a message's control characters raw. */
class MessagesShowTest {

    @Test
    void controlCharactersAreShownEscaped() {
        assertThat(MessagesCommand.printable("MSH|^~\\&|A\rPID|1||X||EVIL\u001B[2J\u001B]0;pwned\u0007^Y\u202E"))
                .isEqualTo("MSH|^~\\&|A\nPID|1||X||EVIL<0x1B>[2J<0x1B>]0;pwned<0x07>^Y<0x202E>");
        assertThat(MessagesCommand.printable("DUPRÉ^HÉLÈNE\tok")).isEqualTo("DUPRÉ^HÉLÈNE\tok");
        assertThat(MessagesCommand.printable("\u009B31m")).isEqualTo("<0x9B>31m");
    }

    @Test
    void showOfAMessageWithEscapeSequencesInPid5(@TempDir Path work) throws Exception {
        String message = "MSH|^~\\&|RIS|CHU|MWLGW|CHU|20261204083000||ORM^O01|ESC-1|P|2.3.1\r"
                + "PID|1||ESC1^^^CHU^PI||EVIL\u001B[2J\u001B]0;title\u0007^NAME||19800115|F\r"
                + "ORC|NW|PLC-ESC-1|||SC||^^^" + TestGateway.today() + "0900\r"
                + "OBR|1|PLC-ESC-1||24857-5^MR Knee^LN||||||||||||||ACC-ESC-1|RP-ESC-1||IRM2|||MR\r";
        TestGateway gw = new TestGateway(work);
        try (gw) {
            gw.start();
            try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
                client.send(message, StandardCharsets.US_ASCII);
            }
        }
        String config = gw.configDir.toString();
        String data = gw.dataDir.toString();
        CliEndToEndTest.Result list = CliEndToEndTest.run("messages", "--config", config, "--data", data);
        assertThat(list.exit()).as(list.err()).isZero();
        String id = list.out().lines().filter(l -> l.contains("ESC-1")).findFirst().orElseThrow().trim()
                .split("\\s+")[0];
        CliEndToEndTest.Result show = CliEndToEndTest.run("messages", "--show", id, "--config", config,
                "--data", data);
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).doesNotContain("\u001B").doesNotContain("\u0007")
                .contains("EVIL<0x1B>[2J<0x1B>]0;title<0x07>^NAME").contains("PLC-ESC-1");
    }
}
