// Sends one HL7 message file to an MLLP listener with node-hl7-client (an HL7 client nobody here wrote) and
// prints the ACK it got as JSON. Used by NodeHl7ClientInteropTest.
// usage: node send-hl7.cjs HOST PORT FILE ENCODING [CA_PEM]
//   ENCODING: the file's encoding and the one used on the wire (latin1, utf8, ascii)
const fs = require('fs');
const { Client, Message } = require('node-hl7-client');

const [host, port, file, encoding, caFile] = process.argv.slice(2);
const text = fs.readFileSync(file, encoding).replace(/\r?\n/g, '\r').replace(/\r+$/, '');
const message = new Message({ text });
const version = message.get('MSH.12').toString();

const timer = setTimeout(() => {
  console.error('no ACK within 20 s');
  process.exit(2);
}, 20000);

const client = new Client({
  host,
  version,
  ...(caFile ? { tls: { ca: fs.readFileSync(caFile), rejectUnauthorized: true, servername: 'localhost' } } : {}),
});
const connection = client.createConnection(
  { port: Number(port), encoding, waitAck: true, maxConnectionAttempts: 3 },
  async (response) => {
    const ack = response.getMessage();
    console.log(JSON.stringify({
      msa1: ack.get('MSA.1').toString(),
      msa2: ack.get('MSA.2').toString(),
      ack: ack.toString(),
    }));
    clearTimeout(timer);
    await connection.close();
    process.exit(0);
  },
);
connection.sendMessage(message).catch((e) => {
  console.error('send failed: ' + e);
  process.exit(3);
});
