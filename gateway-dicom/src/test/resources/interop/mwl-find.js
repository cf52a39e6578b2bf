// C-FIND on the Modality Worklist: node mwl-find.js PORT CALLING CALLED 'JSON elements'
// Prints RESULT {"statuses":[...],"matches":[naturalized datasets]}
'use strict';
const { dimse, result, client, worklistFind, isPending } = require('./common');
const [port, calling, called, json] = process.argv.slice(2);
const statuses = [];
const matches = [];
const request = worklistFind(JSON.parse(json));
request.on('response', (response) => {
  statuses.push(response.getStatus());
  if (isPending(response.getStatus()) && response.hasDataset()) {
    matches.push(response.getDataset().getElements());
  }
});
const c = client(() => result({ statuses, matches }));
c.addRequest(request);
c.send('127.0.0.1', Number(port), calling, called);
