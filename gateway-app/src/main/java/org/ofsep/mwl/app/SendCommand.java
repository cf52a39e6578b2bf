package org.ofsep.mwl.app;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ofsep.mwl.hl7.Hl7Charsets;
import org.ofsep.mwl.hl7.MllpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends HL7 message files to a gateway (or any MLLP listener) and prints each ACK: a RIS stand-in for
 * integration tests and the demo. Files are read as UTF-8 text and sent in the charset their MSH-18 declares.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Send HL7 message files over MLLP and print each ACK code (exit 1 unless all are AA).")
final class SendCommand extends GatewayCli.Base {

    @Parameters(paramLabel = "FILE.hl7", arity = "1..*", description = "Messages to send, in order.")
    List<Path> files;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "MLLP host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", description = "MLLP port (default: hl7.port of gateway.yaml).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.load(dirs.config());
        int failures = 0;
        try (MllpClient client = new MllpClient(host, port == null ? config.hl7.port : port, Duration.ofSeconds(30))) {
            for (Path file : files) {
                String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\r").replace('\n', '\r');
                Charset charset = Hl7Charsets.forMsh18(MllpClient.field(text, "MSH", 18)).orElse(StandardCharsets.UTF_8);
                String ack = new String(client.exchange(text.getBytes(charset)), charset);
                String code = MllpClient.field(ack, "MSA", 1);
                String error = MllpClient.field(ack, "ERR", 8);
                if (error == null || error.isEmpty()) {
                    error = MllpClient.field(ack, "MSA", 3);
                }
                System.out.println(file.getFileName() + ": " + code + (error == null || error.isEmpty() ? ""
                        : " - " + error));
                if (!"AA".equals(code)) {
                    failures++;
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
