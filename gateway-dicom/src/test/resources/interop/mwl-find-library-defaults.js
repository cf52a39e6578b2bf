// C-FIND built by dcmjs-dimse's own createWorklistFindRequest (its ~40 default return keys plus ours):
//   node mwl-find-library-defaults.js PORT CALLING CALLED 'JSON elements'
// Prints RESULT {"statuses":[...],"matches":[...]} as soon as the final response arrives.
// dcmjs-dimse 0.3.3 treats 0xFF01 (pending, optional keys not supported) as a final status: it sends
// A-RELEASE-RQ after the first match, then a second one after the real final response, and reports
// "write after end". The final response still reaches it (the SCP answers pending work in Sta8 before the
// A-RELEASE-RP), which is what this script records; the library's late error is ignored.
'use strict';
const { dimse, result, isPending } = require('./common');
const [port, calling, called, json] = process.argv.slice(2);
const statuses = [];
const matches = [];
let done = false;
const request = dimse.requests.CFindRequest.createWorklistFindRequest(JSON.parse(json));
request.on('response', (response) => {
  const s = response.getStatus();
  statuses.push(s);
  if (isPending(s) && response.hasDataset()) {
    matches.push(response.getDataset().getElements());
  }
  if (!isPending(s) && !done) {
    done = true;
    result({ statuses, matches });
  }
});
const c = new dimse.Client();
c.on('networkError', (e) => {
  if (!done) {
    process.stdout.write('ERROR network error: ' + e + '\n');
    process.exit(2);
  }
});
c.on('closed', () => process.exit(done ? 0 : 3));
c.addRequest(request);
c.send('127.0.0.1', Number(port), calling, called);
