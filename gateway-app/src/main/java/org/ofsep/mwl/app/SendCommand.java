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
 * Order templates (the demo's {@code {{DATE}}}...) are filled with {@code --today}; without it a file that still
 * holds a placeholder is refused before anything is sent, instead of reaching the gateway as text.
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

    @Option(names = "--today", description = "Fill the placeholders of order templates (scripts/demo/*.hl7): "
            + "{{DATE}} today (YYYYMMDD), {{THREEMONTHS}}, {{SIXMONTHS}}, {{LASTYEAR}}, {{TWOYEARS}} that long "
            + "before today, {{RUN}} a number unique to this run (message and order numbers).")
    boolean today;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.load(dirs.config());
        // every file is read and checked before the first one is sent: all or nothing for a template mistake
        long run = System.currentTimeMillis() / 1000;
        List<String> messages = new java.util.ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = read(file);
            } catch (java.nio.charset.CharacterCodingException e) {
                System.err.println(file + ": its bytes are not text in the character set its MSH-18 declares ("
                        + e.getMessage() + "); nothing was sent");
                return 2;
            }
            var placeholders = OrderTemplate.placeholders(text);
            if (!placeholders.isEmpty()) {
                if (!today) {
                    System.err.println(file + " is an order template (it holds {{" + String.join("}}, {{",
                            placeholders) + "}}): send it with --today to fill them, nothing was sent");
                    return 2;
                }
                try {
                    text = OrderTemplate.fill(text, java.time.LocalDate.now(config.siteZone()), run);
                } catch (IllegalArgumentException e) {
                    System.err.println(file + ": " + e.getMessage() + "; nothing was sent");
                    return 2;
                }
            }
            messages.add(text.replace("\r\n", "\r").replace('\n', '\r'));
        }
        int failures = 0;
        try (MllpClient client = new MllpClient(host, port == null ? config.hl7.port : port, Duration.ofSeconds(30))) {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                String text = messages.get(i);
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

    /**
     * The file's text in the character set its MSH-18 declares (read from the ASCII header), UTF-8 when it declares
     * none or one the gateway does not know (the gateway answers such a message itself): an ISO 8859-1 order
     * ("8859/1") is read as such, not refused as bad UTF-8.
     */
    static String read(Path file) throws java.io.IOException {
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = header.indexOf('\r') >= 0 ? header.indexOf('\r') : header.indexOf('\n');
        String msh = end >= 0 ? header.substring(0, end) : header;
        String msh18 = msh.startsWith("MSH") ? MllpClient.field(msh, "MSH", 18) : null;
        Charset charset = msh18 == null || msh18.isBlank() ? StandardCharsets.UTF_8
                : Hl7Charsets.forMsh18(msh18).orElse(StandardCharsets.UTF_8);
        return charset.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    }
}
