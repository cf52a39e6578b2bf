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

// Each response's status and error comment, in the order the requests were sent: track(request, dataset) sets the
// request's dataset (when given) and records its response.
function responses() {
  const statuses = [];
  const comments = [];
  function track(req, attrs) {
    if (attrs) {
      req.setDataset(new dimse.Dataset(attrs));
    }
    req.on('response', (r) => {
      statuses.push(r.getStatus());
      comments.push(r.getErrorComment ? (r.getErrorComment() || '') : '');
    });
    return req;
  }
  return { statuses, comments, track };
}

module.exports = { dimse, result, fail, client, worklistFind, isPending, responses };
