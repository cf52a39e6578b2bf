// Shared helpers for the dcmjs-dimse interop scripts: load dcmjs-dimse from <worktree>/interop/node_modules
// (NODE_PATH is set by the Java test), print one JSON result line, exit non-zero on network errors.
'use strict';
const dimse = require('dcmjs-dimse');

function result(obj) {
  process.stdout.write('RESULT ' + JSON.stringify(obj) + '\n');
}

function fail(message) {
  process.stdout.write('ERROR ' + message + '\n');
  process.exit(2);
}

function client(onClosed) {
  const c = new dimse.Client();
  c.on('networkError', (e) => fail('network error: ' + e));
  c.on('associationRejected', (r) => fail('association rejected: ' + JSON.stringify(r)));
  c.on('closed', onClosed);
  return c;
}

setTimeout(() => fail('timeout'), 60000).unref();

// A worklist C-FIND with exactly the given keys, as a console sends them (dcmjs-dimse's own
// createWorklistFindRequest adds ~40 default keys, some not supported, so matches come as 0xFF01).
function worklistFind(elements) {
  const request = new dimse.requests.CFindRequest();
  request.setAffectedSopClassUid(dimse.constants.SopClass.ModalityWorklistInformationModelFind);
  request.setDataset(new dimse.Dataset(elements));
  return request;
}

// Pending, with or without the "optional keys not supported" warning.
function isPending(status) {
  return status === 0xff00 || status === 0xff01;
}

module.exports = { dimse, result, fail, client, worklistFind, isPending };
